package io.jingnei.core.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.cache.AnswerCache;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.log.CallRecord;
import io.jingnei.core.pricing.Cost;
import io.jingnei.core.pricing.Usage;
import io.jingnei.core.util.Hashing;
import io.jingnei.core.util.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * rag-query's and rag-stream's answers in the answer cache: the key (question, model, prompt,
 * index version, prompt shape, top_k, threshold, under the caller's tenant), the exact and the
 * similar lookup, and what is kept: only generated answers to fresh questions.
 */
public final class RagAnswerCache {
    private static final ObjectMapper JSON = Json.mapper();

    private final AnswerCache cache;
    private final CallLog log;
    private final IndexHolder index;
    private final String defaultModel;
    private final boolean llmConfigured;

    RagAnswerCache(AnswerCache cache, CallLog log, IndexHolder index, String defaultModel, boolean llmConfigured) {
        this.cache = cache;
        this.log = log;
        this.index = index;
        this.defaultModel = defaultModel;
        this.llmConfigured = llmConfigured;
    }

    /**
     * The request's answer-cache key; rag-query and rag-stream share it, so either serves the
     * other. Only fresh questions without a conversation before them are cached: history changes the answer.
     */
    public Optional<AnswerCache.Key> key(RagRequest request, Caller caller) {
        if (!cache.enabled() || !llmConfigured || request == null || request.query == null || request.query.isBlank()
                || (request.history != null && !request.history.isEmpty())) {
            return Optional.empty();
        }
        String model = request.model == null ? defaultModel : request.model;
        String prompt = request.systemPrompt == null || request.systemPrompt.isBlank() ? RagPrompt.DEFAULT_SYSTEM_PROMPT : request.systemPrompt;
        return cache.key(request.query, "rag|" + model + "|" + Hashing.sha256Hex(prompt) + "|" + index.version() + "|"
                + RagPrompt.VERSION + "|" + request.topK + "|" + request.threshold, caller);
    }

    private CompletableFuture<Optional<AnswerCache.Hit>> similar(Optional<AnswerCache.Key> key, Retrieval found) {
        return key.isPresent() && !found.empty() ? cache.similar(key.get(), found.queryVector)
                : CompletableFuture.completedFuture(Optional.empty());
    }

    void keep(Optional<AnswerCache.Key> key, Retrieval found, RagResult result) {
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
        for (JsonNode source : hit.answer().path("sources")) {
            sources.add(JSON.convertValue(source, RagResult.Source.class));
        }
        String model = hit.answer().path("model").asText(defaultModel);
        long ms = call.elapsedMillis();
        log.write(new CallRecord(call.requestId, call.function, model, call.userId, "success").put("cache", hit.how)
                .put("cost_usd", 0).put("cost_cny", 0).put("latency_ms", ms));
        return new RagResult("success", hit.text("answer"), sources, Usage.NONE, Cost.ZERO,
                new RagResult.Latency(ms, 0, ms), "generated", model, call.requestId, List.of(), Boolean.TRUE, null, 200);
    }
}
