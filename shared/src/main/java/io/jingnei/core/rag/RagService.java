package io.jingnei.core.rag;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.cache.AnswerCache;
import io.jingnei.core.llm.ChatMessage;
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
import io.jingnei.core.util.Hashing;
import io.jingnei.core.util.Json;

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
 * {@link #NO_ANSWER_MARKER}) gives the same answer, with the call's usage.
 * Without an LLM key the best chunk is answered as is ({@code mode: extractive}). Embedding and
 * search run on the CPU workers; the LLM wait holds no thread.
 */
public final class RagService implements AutoCloseable {
    public static final String DEFAULT_SYSTEM_PROMPT = "你是一名专业的客服助手。请只根据下面提供的参考资料回答用户的问题，"
            + "不要编造参考资料中没有的信息；如果参考资料不足以回答，请回答“" + RagResult.NO_CONTEXT_ANSWER + "”"
            + "回答要简洁、准确，不超过200字。";
    /** What the model answers when the references do not answer the question: becomes {@code no_context}. */
    public static final String NO_ANSWER_MARKER = "[NO_ANSWER]";

    private final Embedder embedder;
    private final IndexHolder index;
    private final Completions completions;
    private final CallLog log;
    private final RequestCaps caps;
    private final RagConfig config;
    private final boolean llmConfigured;
    private final String defaultModel;
    private final Executor cpu;
    private final AnswerCache cache;
    /** JINGNEI_HISTORY_TURNS, as for /chat: the last turns of a conversation kept. */
    private final int historyTurns;
    private final FollowUpSearch followUps = new FollowUpSearch(FollowUpSearch.Settings.DEFAULT);
    private static final ObjectMapper JSON = Json.mapper();
    /** Changes whenever the prompt shape changes: part of every cache key. */
    static final String PROMPT_VERSION = Hashing.sha256Hex(DEFAULT_SYSTEM_PROMPT + "|refs-v3").substring(0, 12);

    public RagService(Embedder embedder, IndexHolder index, Completions completions, CallLog log, RequestCaps caps,
                      RagConfig config, boolean llmConfigured, String defaultModel, Executor cpu, AnswerCache cache, int historyTurns) {
        this.embedder = embedder;
        this.index = index;
        this.completions = completions;
        this.log = log;
        this.caps = caps;
        this.config = config;
        this.llmConfigured = llmConfigured;
        this.defaultModel = defaultModel;
        this.cpu = cpu;
        this.cache = cache;
        this.historyTurns = historyTurns;
    }

    public IndexHolder index() {
        return index;
    }

    public Embedder embedder() {
        return embedder;
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
            key = cacheKey(request, ctx.caller);
        } catch (JingneiException refused) {
            return CompletableFuture.completedFuture(failed(asked, ctx, refused));
        }
        return query(request, key, ctx);
    }

    private CompletableFuture<RagResult> query(RagRequest request, Optional<AnswerCache.Key> key, CallContext ctx) {
        CompletableFuture<Optional<AnswerCache.Hit>> exact = key.isPresent() ? cache.exact(key.get())
                : CompletableFuture.completedFuture(Optional.empty());
        return exact.thenCompose(hit -> {
            if (hit.isPresent()) {
                return CompletableFuture.completedFuture(fromCache(hit.get(), request, ctx));
            }
            return retrieve(request, ctx).thenCompose(found -> similar(key, found).thenCompose(similar -> similar.isPresent()
                    ? CompletableFuture.completedFuture(fromCache(similar.get(), request, found.call))
                    : answer(found).thenApply(result -> {
                        keep(key, found, result);
                        return result;
                    })));
        }).exceptionally(error -> failed(request, ctx, JingneiException.from(error)));
    }

    /** The request as this caller may make it ({@link RagConfig#bounded}); before the cache key, so keys hold what was served. */
    public RagRequest bounded(RagRequest request, CallContext ctx) {
        return config.bounded(request, ctx.caller.admin());
    }

    /**
     * The request's answer-cache key; rag-query and rag-stream share it, so either serves the
     * other. Only fresh questions without a conversation before them are cached: history changes the answer.
     */
    public Optional<AnswerCache.Key> cacheKey(RagRequest request, Caller caller) {
        if (!cache.enabled() || !llmConfigured || request == null || request.query == null || request.query.isBlank()
                || (request.history != null && !request.history.isEmpty())) {
            return Optional.empty();
        }
        String model = request.model == null ? defaultModel : request.model;
        String prompt = request.systemPrompt == null || request.systemPrompt.isBlank() ? DEFAULT_SYSTEM_PROMPT : request.systemPrompt;
        return cache.key(request.query, "rag|" + model + "|" + Hashing.sha256Hex(prompt) + "|" + index.version() + "|"
                + PROMPT_VERSION + "|" + request.topK + "|" + request.threshold, caller);
    }

    private CompletableFuture<Optional<AnswerCache.Hit>> similar(Optional<AnswerCache.Key> key, Retrieval found) {
        return key.isPresent() && !found.empty() ? cache.similar(key.get(), found.queryVector)
                : CompletableFuture.completedFuture(Optional.empty());
    }

    private void keep(Optional<AnswerCache.Key> key, Retrieval found, RagResult result) {
        if (key.isPresent() && "success".equals(result.status) && "generated".equals(result.mode)) {
            ObjectNode stored = JSON.createObjectNode().put("answer", result.answer).put("model", result.model);
            stored.set("sources", JSON.valueToTree(result.sources));
            cache.store(key.get(), stored, found.queryVector, "answer");
        }
    }

    /** The exact cache hit for a request, as rag-query serves and logs it; empty on a miss or without a key. */
    public CompletableFuture<Optional<RagResult>> cached(Optional<AnswerCache.Key> key, RagRequest request, CallContext ctx) {
        return key.isPresent() ? cache.exact(key.get()).thenApply(hit -> hit.map(h -> fromCache(h, request, ctx)))
                : CompletableFuture.completedFuture(Optional.empty());
    }

    /** Once the question is embedded: a similar question's cached answer (semantic mode), as rag-query serves it. */
    public CompletableFuture<Optional<RagResult>> cachedSimilar(Optional<AnswerCache.Key> key, Retrieval found) {
        return similar(key, found).thenApply(hit -> hit.map(h -> fromCache(h, found.request, found.call)));
    }

    /** Keeps an answer the LLM streamed in full for what was retrieved, as rag-query keeps its own. */
    public void keepStreamed(Optional<AnswerCache.Key> key, Retrieval found, String answer, String model) {
        if (answer != null && !answer.isEmpty()) {
            keep(key, found, new RagResult("success", answer, found.sources, Usage.NONE, null, null, "generated", model,
                    found.call.requestId, List.of(), null, 200));
        }
    }

    private RagResult fromCache(AnswerCache.Hit hit, RagRequest request, CallContext ctx) {
        CallContext call = ctx.withBodyUser(request.userId);
        List<RagResult.Source> sources = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode source : hit.answer().path("sources")) {
            sources.add(JSON.convertValue(source, RagResult.Source.class));
        }
        String model = hit.answer().path("model").asText(defaultModel);
        long ms = call.elapsedMillis();
        log.write(new CallRecord(call.requestId, call.function, model, call.userId, "success").put("cache", hit.how)
                .put("cost_usd", 0).put("cost_cny", 0).put("latency_ms", ms));
        return new RagResult("success", hit.text("answer"), sources, Usage.NONE, io.jingnei.core.pricing.Cost.ZERO,
                new RagResult.Latency(ms, 0, ms), "generated", model, call.requestId, List.of(), Boolean.TRUE, null, 200);
    }

    /**
     * The passages for a question. Fails with {@link JingneiException} for bad input, a missing
     * index or an embedding failure (already logged).
     */
    public CompletableFuture<Retrieval> retrieve(RagRequest request, CallContext ctx) {
        String model = request == null || request.model == null ? defaultModel : request.model;
        CallContext call;
        try {
            validate(request);
            call = ctx.withBodyUser(request.userId);
        } catch (JingneiException e) {
            completions.rejected(ctx, model, e);
            return CompletableFuture.failedFuture(e);
        }
        CallContext c = call;
        return CompletableFuture.supplyAsync(() -> search(request, c, model), cpu).whenComplete((r, error) -> {
            if (error != null) {
                JingneiException e = JingneiException.from(error);
                log.write(new CallRecord(c.requestId, c.function, model, c.userId, e.kind().status)
                        .put("error", e.getMessage()).stack(e));
            }
        });
    }

    /**
     * Hybrid search, then the rejection rule: the shipped one, or with a request's own
     * {@code threshold} the plain cosine rule (0 returns the ranking as it is).
     */
    private Retrieval search(RagRequest request, CallContext call, String model) {
        index.refreshIfDue(); // first: while there is no index, this is what loads it once it appears
        HybridIndex searched = index.require();
        String version = index.version();
        String earlier = historyTurns == 0 ? "" : followUps.earlier(request.history);
        List<float[]> vectors = embedder.embed(earlier.isEmpty() ? List.of(request.query) : List.of(request.query, earlier));
        float[] query = vectors.get(0);
        FollowUpSearch.Result found = followUps.search(searched, config.fusion(), request.topK == null ? config.topK : request.topK,
                request.query, query, earlier, earlier.isEmpty() ? null : vectors.get(1));
        Ranking ranking = found.ranking;
        RejectionRule rule = request.threshold == null ? config.rejection() : RejectionRule.plainThreshold(request.threshold);
        List<RagResult.Source> sources = new ArrayList<>();
        List<Chunk> context = new ArrayList<>();
        for (Ranking.Candidate passage : rule.passages(found)) {
            Chunk chunk = searched.chunk(passage.position);
            context.add(chunk);
            sources.add(new RagResult.Source(chunk.docId, chunk.chunkNo, Math.round(passage.cosine * 10000) / 10000.0, chunk.metadataJson, chunk.text));
        }
        return new Retrieval(request, call, model, sources, context, ranking.empty() ? null : (double) ranking.best().cosine,
                ranking.empty() ? null : RejectionRule.confidence(ranking), call.elapsedMillis(), version, query);
    }

    /** The answer for what was retrieved: the fixed no-context answer, an extract, or the LLM's. Never fails. */
    public CompletableFuture<RagResult> answer(Retrieval found) {
        CallContext call = found.call;
        long retrieveMs = found.retrieveMs;
        if (found.empty()) {
            return CompletableFuture.completedFuture(noContext(found));
        }
        if (!llmConfigured) {
            log.write(new CallRecord(call.requestId, call.function, found.model, call.userId, "success").put("mode", "extractive")
                    .put("latency_ms", retrieveMs));
            return CompletableFuture.completedFuture(new RagResult("success", found.context.get(0).text, found.sources, Usage.NONE, null,
                    new RagResult.Latency(retrieveMs, 0, retrieveMs), "extractive", null, call.requestId, List.of(), null, 200));
        }
        return completions.complete(prompt(found, true), call).handle((outcome, error) -> {
            long total = call.elapsedMillis();
            RagResult.Latency latency = new RagResult.Latency(retrieveMs, total - retrieveMs, total);
            if (error != null) {
                return RagResult.failure(JingneiException.from(error), found.model, call.requestId, found.sources, latency, call.trace.list());
            }
            if (declined(outcome.content())) {
                log.write(new CallRecord(call.requestId, call.function, outcome.model, call.userId, "no_context").put("declined_by", "llm")
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
        ObjectNode body = prompt(found, true);
        body.put("model", found.model);
        return body;
    }

    /**
     * Whether the model answered with the marker: the answer starts or ends with it (a model may add
     * a word or a full stop). Merely containing it is not enough: an answer that quotes the prompt
     * (an echoing test upstream does) would then be turned away.
     */
    public static boolean declined(String content) {
        if (content == null) {
            return false;
        }
        String answer = content.strip().replaceAll("[。.！!]+$", "");
        return answer.startsWith(NO_ANSWER_MARKER) || answer.endsWith(NO_ANSWER_MARKER);
    }

    /**
     * Chunks of the LLM's answer for what was retrieved (only when there is context and an LLM). The
     * prompt lets the model decline with {@link #NO_ANSWER_MARKER}, as rag-query's does; the relay
     * holds back an answer that may be the marker ({@link #mayBeDeclining}).
     */
    public CompletableFuture<Flow.Publisher<ObjectNode>> answerStream(Retrieval found) {
        return completions.stream(prompt(found, true), found.call, true);
    }

    /**
     * Whether the start of a streamed answer may still be the marker (or is it): until it is not, the
     * chunks are held back, so a client never sees "[NO_ANSWER]" and a real answer is held only for
     * its first chunk or two (an answer rarely starts with "[").
     */
    public static boolean mayBeDeclining(String soFar) {
        String text = soFar.strip();
        return text.isEmpty() || NO_ANSWER_MARKER.startsWith(text) || text.startsWith(NO_ANSWER_MARKER);
    }

    /** A streamed answer the model declined: logged as rag-query logs it (the call itself is logged already). */
    public void declinedStream(Retrieval found, String model) {
        CallContext call = found.call;
        log.write(new CallRecord(call.requestId, call.function, model, call.userId, "no_context").put("declined_by", "llm")
                .put("best_similarity", found.bestScore).put("latency_ms", call.elapsedMillis()));
    }

    RagResult noContext(Retrieval found) {
        CallContext call = found.call;
        log.write(new CallRecord(call.requestId, call.function, found.model, call.userId, "no_context")
                .put("best_similarity", found.bestScore).put("confidence", found.confidence).put("latency_ms", found.retrieveMs));
        return new RagResult("no_context", RagResult.NO_CONTEXT_ANSWER, found.sources, Usage.NONE, null,
                new RagResult.Latency(found.retrieveMs, 0, found.retrieveMs), "none", found.model, call.requestId, List.of(), null, 200);
    }

    private RagResult failed(RagRequest request, CallContext ctx, JingneiException e) {
        String model = request == null || request.model == null ? defaultModel : request.model;
        return RagResult.failure(e, model, ctx.requestId, null, null, List.of());
    }

    private void validate(RagRequest request) {
        if (request == null) {
            throw new JingneiException(ErrorKind.INVALID_REQUEST, "field 'query' is required and must not be empty");
        }
        caps.query("query", request.query);
        caps.systemPrompt("system_prompt", request.systemPrompt);
        if (request.topK != null && (request.topK < 1 || request.topK > 50)) {
            throw new JingneiException(ErrorKind.INVALID_REQUEST, "field 'top_k' must be between 1 and 50");
        }
        if (request.threshold != null && !(request.threshold >= -1 && request.threshold <= 1)) {
            throw new JingneiException(ErrorKind.INVALID_REQUEST, "field 'threshold' is a cosine similarity between -1 and 1");
        }
        if (request.history != null) {
            long chars = 0;
            for (int i = 0; i < request.history.size(); i++) {
                ChatMessage turn = request.history.get(i);
                if (turn == null || turn.content == null || !("user".equals(turn.role) || "assistant".equals(turn.role))) {
                    throw new JingneiException(ErrorKind.INVALID_REQUEST,
                            "history[" + i + "] must be {\"role\": \"user\" or \"assistant\", \"content\": \"...\"}");
                }
                chars += turn.content.length();
            }
            caps.historyChars(chars);
        }
    }

    /**
     * The reference design's prompt shape: numbered references, then the question; recent turns
     * before it. {@code marker}: the model may answer {@link #NO_ANSWER_MARKER} when the references
     * do not answer the question (asked in the last message, so it holds under a caller's own
     * system prompt). A stream is passed through as it comes, so it keeps the first round's
     * instruction (the default system prompt's fixed sentence) instead.
     */
    private ObjectNode prompt(Retrieval found, boolean marker) {
        RagRequest request = found.request;
        StringBuilder references = new StringBuilder("参考资料：\n");
        for (int i = 0; i < found.context.size(); i++) {
            references.append('[').append(i + 1).append("] ").append(found.context.get(i).text).append('\n');
        }
        references.append("\n用户问题：").append(request.query);
        if (marker) {
            references.append("\n\n如果以上参考资料不能回答这个问题，请只输出 ").append(NO_ANSWER_MARKER).append("，不要输出其他内容。");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (request.model != null) {
            body.put("model", request.model);
        }
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system")
                .put("content", request.systemPrompt == null || request.systemPrompt.isBlank() ? DEFAULT_SYSTEM_PROMPT : request.systemPrompt);
        if (request.history != null) {
            List<ChatMessage> history = request.history;
            for (ChatMessage turn : history.subList(Math.max(0, history.size() - historyTurns * 2), history.size())) {
                messages.addObject().put("role", turn.role).put("content", turn.content);
            }
        }
        messages.addObject().put("role", "user").put("content", references.toString());
        body.put("temperature", 0.3);
        return body;
    }
}
