package io.jingnei.core.rag;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.cache.AnswerCache;
import io.jingnei.core.embed.Embedder;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.index.Chunk;
import io.jingnei.core.index.HybridIndex;
import io.jingnei.core.index.Ranking;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.llm.Completions;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.log.CallRecord;
import io.jingnei.core.pricing.Usage;
import io.jingnei.core.request.RequestCaps;
import io.jingnei.core.util.TimeSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/**
 * {@code rag-query}: embed the question in-process, search the index by meaning and by words, and
 * answer from what the {@link RejectionRule} keeps, with the sources. Nothing relevant: the fixed
 * no-context answer and no LLM call; the LLM finding that the passages do not answer (its
 * {@link RagPrompt#NO_ANSWER_MARKER}) gives the same answer, with the call's usage.
 * Without an LLM key the best chunk is answered as is ({@code mode: extractive}). Embedding and
 * search run on the CPU workers; the LLM wait holds no thread.
 */
public final class RagService implements AutoCloseable {
    private final Embedder embedder;
    private final IndexHolder index;
    private final Completions completions;
    private final CallLog log;
    private final RequestCaps caps;
    private final RagConfig config;
    private final boolean llmConfigured;
    private final String defaultModel;
    private final Executor cpu;
    /** JINGNEI_HISTORY_TURNS, as for /chat: the last turns of a conversation kept. */
    private final int historyTurns;
    private final FollowUpSearch followUps = new FollowUpSearch(FollowUpSearch.Settings.DEFAULT);
    private final RagAnswerCache answers;
    private final RagPrompt prompts;
    private final FollowUpRewrite rewrites;

    public RagService(Embedder embedder, IndexHolder index, Completions completions, CallLog log, RequestCaps caps,
                      RagConfig config, boolean llmConfigured, String defaultModel, Executor cpu, AnswerCache cache, int historyTurns,
                      TimeSource time) {
        this.embedder = embedder;
        this.index = index;
        this.completions = completions;
        this.log = log;
        this.caps = caps;
        this.config = config;
        this.llmConfigured = llmConfigured;
        this.defaultModel = defaultModel;
        this.cpu = cpu;
        this.historyTurns = historyTurns;
        this.answers = new RagAnswerCache(cache, log, index, defaultModel, llmConfigured);
        this.prompts = new RagPrompt(historyTurns);
        this.rewrites = new FollowUpRewrite(completions, config, llmConfigured, historyTurns, log, time);
    }

    public IndexHolder index() {
        return index;
    }

    public Embedder embedder() {
        return embedder;
    }

    /** The answer cache as rag-query and rag-stream share it. */
    public RagAnswerCache answerCache() {
        return answers;
    }

    public boolean llmConfigured() {
        return llmConfigured;
    }

    @Override
    public void close() {
        embedder.close();
    }

    /**
     * Never fails: every failure is a result with its status. The answer cache is asked first (by
     * the exact question), then, once the question is embedded, for a similar one (semantic mode).
     */
    public CompletableFuture<RagResult> query(RagRequest asked, CallContext ctx) {
        RagRequest request;
        Optional<AnswerCache.Key> key;
        try {
            request = bounded(asked, ctx);
            key = answers.key(request, ctx.caller);
        } catch (JingneiException refused) {
            return CompletableFuture.completedFuture(failed(asked, ctx, refused));
        }
        return query(request, key, ctx);
    }

    private CompletableFuture<RagResult> query(RagRequest request, Optional<AnswerCache.Key> key, CallContext ctx) {
        return answers.cached(key, request, ctx).thenCompose(hit -> {
            if (hit.isPresent()) {
                return CompletableFuture.completedFuture(hit.get());
            }
            return retrieve(request, ctx).thenCompose(found -> answers.cachedSimilar(key, found).thenCompose(similar -> similar.isPresent()
                    ? CompletableFuture.completedFuture(similar.get())
                    : answer(found).thenApply(result -> {
                        answers.keep(key, found, result);
                        return result;
                    })));
        }).exceptionally(error -> failed(request, ctx, JingneiException.from(error)));
    }

    /** The request as this caller may make it ({@link RagConfig#bounded}); before the cache key, so keys hold what was served. */
    public RagRequest bounded(RagRequest request, CallContext ctx) {
        return config.bounded(request, ctx.caller.admin());
    }

    /**
     * The passages for a question. Fails with {@link JingneiException} for bad input, a missing
     * index or an embedding failure (already logged).
     */
    public CompletableFuture<Retrieval> retrieve(RagRequest request, CallContext ctx) {
        String model = request == null || request.model == null ? defaultModel : request.model;
        CallContext call;
        try {
            if (request == null) {
                throw new JingneiException(ErrorKind.INVALID_REQUEST, "field 'query' is required and must not be empty");
            }
            request.validate(caps);
            call = ctx.withBodyUser(request.userId);
        } catch (JingneiException e) {
            completions.rejected(ctx, model, e);
            return CompletableFuture.failedFuture(e);
        }
        CallContext c = call;
        String earlier = historyTurns == 0 ? "" : followUps.earlier(request.history, request.query);
        return rewrites.rewrite(request, earlier, model, c)
                .thenApplyAsync(rewritten -> search(request, c, model, earlier, rewritten), cpu)
                .whenComplete((r, error) -> {
                    if (error != null) {
                        JingneiException e = JingneiException.from(error);
                        log.write(record(c, model, e.kind().status).put("error", e.getMessage()).stack(e));
                    }
                });
    }

    /**
     * Hybrid search, then the rejection rule: the shipped one, or with a request's own
     * {@code threshold} the plain cosine rule (0 returns the ranking as it is). A follow-up's
     * rewrite, when there is one, is searched as a single question.
     */
    private Retrieval search(RagRequest request, CallContext call, String model, String conversation, FollowUpRewrite.Outcome rewritten) {
        index.refreshIfDue(); // first: while there is no index, this is what loads it once it appears
        HybridIndex searched = index.require();
        String version = index.version();
        String question = rewritten.used() ? rewritten.question : request.query;
        String earlier = rewritten.used() ? "" : conversation;
        List<float[]> vectors = embedder.embed(earlier.isEmpty() ? List.of(question) : List.of(question, earlier));
        float[] query = vectors.get(0);
        FollowUpSearch.Result found = followUps.search(searched, config.fusion(), request.topK == null ? config.topK : request.topK,
                question, query, earlier, earlier.isEmpty() ? null : vectors.get(1));
        Ranking ranking = found.ranking;
        RejectionRule rule = request.threshold == null ? config.rejection() : RejectionRule.plainThreshold(request.threshold);
        List<RagResult.Source> sources = new ArrayList<>();
        List<Chunk> context = new ArrayList<>();
        double coverage = RejectionRule.coverage(found, searched, question); // the question searched: the rewrite when there is one
        for (Ranking.Candidate passage : rule.passages(found, coverage)) {
            Chunk chunk = searched.chunk(passage.position);
            context.add(chunk);
            sources.add(new RagResult.Source(chunk.docId, chunk.chunkNo, Math.round(passage.cosine * 10000) / 10000.0, chunk.metadataJson, chunk.text));
        }
        return new Retrieval(request, call, model, sources, context, ranking.empty() ? null : (double) ranking.best().cosine,
                ranking.empty() ? null : RejectionRule.score(ranking, coverage), call.elapsedMillis(), version, query);
    }

    /** The answer for what was retrieved: the fixed no-context answer, an extract, or the LLM's. Never fails. */
    public CompletableFuture<RagResult> answer(Retrieval found) {
        CallContext call = found.call;
        long retrieveMs = found.retrieveMs;
        if (found.empty()) {
            return CompletableFuture.completedFuture(noContext(found));
        }
        if (!llmConfigured) {
            log.write(record(call, found.model, "success").put("mode", "extractive")
                    .put("latency_ms", retrieveMs));
            return CompletableFuture.completedFuture(new RagResult("success", found.context.get(0).text, found.sources, Usage.NONE, null,
                    new RagResult.Latency(retrieveMs, 0, retrieveMs), "extractive", null, call.requestId, List.of(), null, 200));
        }
        return completions.complete(prompts.body(found), call).handle((outcome, error) -> {
            long total = call.elapsedMillis();
            RagResult.Latency latency = new RagResult.Latency(retrieveMs, total - retrieveMs, total);
            if (error != null) {
                return RagResult.failure(JingneiException.from(error), found.model, call.requestId, found.sources, latency, call.trace.list());
            }
            if (RagPrompt.declined(outcome.content())) {
                log.write(record(call, outcome.model, "no_context").put("declined_by", "llm")
                        .put("best_similarity", found.bestScore).put("latency_ms", total));
                return new RagResult("no_context", RagResult.NO_CONTEXT_ANSWER, found.sources, outcome.usage == null ? Usage.NONE : outcome.usage,
                        outcome.cost, latency, "generated", outcome.model, call.requestId, outcome.attempts, null, 200);
            }
            return new RagResult("success", outcome.content(), found.sources, outcome.usage == null ? Usage.NONE : outcome.usage, outcome.cost,
                    latency, "generated", outcome.model, call.requestId, outcome.attempts, null, 200);
        });
    }

    /**
     * The chat request rag-query would send for what was retrieved, model named, personal
     * information not yet masked: a provider batch sends it later, from a file.
     */
    public ObjectNode requestBody(Retrieval found) {
        ObjectNode body = prompts.body(found);
        body.put("model", found.model);
        return body;
    }

    /**
     * Chunks of the LLM's answer for what was retrieved (only when there is context and an LLM). The
     * prompt lets the model decline with {@link RagPrompt#NO_ANSWER_MARKER}, as rag-query's does; the relay
     * holds back an answer that may be the marker ({@link RagPrompt#mayBeDeclining}).
     */
    public CompletableFuture<Flow.Publisher<ObjectNode>> answerStream(Retrieval found) {
        return completions.stream(prompts.body(found), found.call, true);
    }

    /** A streamed answer the model declined: logged as rag-query logs it (the call itself is logged already). */
    public void declinedStream(Retrieval found, String model) {
        CallContext call = found.call;
        log.write(record(call, model, "no_context").put("declined_by", "llm")
                .put("best_similarity", found.bestScore).put("latency_ms", call.elapsedMillis()));
    }

    RagResult noContext(Retrieval found) {
        CallContext call = found.call;
        log.write(record(call, found.model, "no_context")
                .put("best_similarity", found.bestScore).put("confidence", found.confidence).put("latency_ms", found.retrieveMs));
        return new RagResult("no_context", RagResult.NO_CONTEXT_ANSWER, found.sources, Usage.NONE, null,
                new RagResult.Latency(found.retrieveMs, 0, found.retrieveMs), "none", found.model, call.requestId, List.of(), null, 200);
    }

    /** The call's log line, with what its steps noted (a follow-up's rewrite). */
    private static CallRecord record(CallContext call, String model, String status) {
        return new CallRecord(call.requestId, call.function, model, call.userId, status).putAll(call.notes());
    }

    private RagResult failed(RagRequest request, CallContext ctx, JingneiException e) {
        String model = request == null || request.model == null ? defaultModel : request.model;
        return RagResult.failure(e, model, ctx.requestId, null, null, List.of());
    }


}
