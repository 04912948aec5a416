package io.jingnei.core.rag;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.chat.ChatLimits;
import io.jingnei.core.embed.Embedder;
import io.jingnei.core.index.Chunk;
import io.jingnei.core.index.Hit;
import io.jingnei.core.index.VectorIndex;
import io.jingnei.core.llm.CallContext;
import io.jingnei.core.llm.Completions;
import io.jingnei.core.llm.ErrorKind;
import io.jingnei.core.llm.LlmException;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.log.CallRecord;
import io.jingnei.core.pricing.Usage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code rag-query}: embed the question in-process, search the index, and answer from what clears
 * the threshold, with the sources. Nothing relevant: the fixed no-context answer and no LLM call.
 * Without an LLM key the best chunk is answered as is ({@code mode: extractive}).
 */
public final class RagService implements AutoCloseable {
    public static final String DEFAULT_SYSTEM_PROMPT = "你是一名专业的客服助手。请只根据下面提供的参考资料回答用户的问题，"
            + "不要编造参考资料中没有的信息；如果参考资料不足以回答，请回答“" + RagResult.NO_CONTEXT_ANSWER + "”"
            + "回答要简洁、准确，不超过200字。";

    private final Embedder embedder;
    private final IndexHolder index;
    private final Completions completions;
    private final CallLog log;
    private final ChatLimits limits;
    private final RagConfig config;
    private final boolean llmConfigured;
    private final String defaultModel;

    public RagService(Embedder embedder, IndexHolder index, Completions completions, CallLog log, ChatLimits limits,
                      RagConfig config, boolean llmConfigured, String defaultModel) {
        this.embedder = embedder;
        this.index = index;
        this.completions = completions;
        this.log = log;
        this.limits = limits;
        this.config = config;
        this.llmConfigured = llmConfigured;
        this.defaultModel = defaultModel;
    }

    public IndexHolder index() {
        return index;
    }

    public Embedder embedder() {
        return embedder;
    }

    @Override
    public void close() {
        embedder.close();
    }

    /** Never fails: every failure is a result with its status. Embedding blocks the calling thread briefly. */
    public CompletableFuture<RagResult> query(RagRequest request, CallContext ctx) {
        CallContext call = ctx.withUser(request == null ? null : request.userId);
        String model = request == null || request.model == null ? defaultModel : request.model;
        List<Hit> hits;
        VectorIndex searched;
        try {
            validate(request);
            searched = index.require();
            index.refreshIfDue();
            float[] query = embedder.embed(List.of(request.query)).get(0);
            hits = searched.search(query, request.topK == null ? config.topK : request.topK);
        } catch (LlmException e) {
            completions.rejected(call, model, e);
            return CompletableFuture.completedFuture(failure(e.kind().status, e.getMessage(), e.kind().httpStatus, model, call));
        } catch (io.jingnei.core.embed.EmbeddingException e) {
            log.write(new CallRecord(call.requestId, call.function, model, call.userId, "embedding_error").put("error", e.getMessage()));
            return CompletableFuture.completedFuture(failure("embedding_error", e.getMessage(), 503, model, call));
        } catch (IndexUnavailableException e) {
            log.write(new CallRecord(call.requestId, call.function, model, call.userId, "index_unavailable").put("error", e.getMessage()));
            return CompletableFuture.completedFuture(failure("index_unavailable", e.getMessage(), 503, model, call));
        }
        long retrieveMs = call.elapsedMillis();
        double threshold = request.threshold == null ? config.threshold : request.threshold;
        List<RagResult.Source> sources = new ArrayList<>();
        List<Chunk> context = new ArrayList<>();
        for (Hit hit : hits) {
            if (hit.score >= threshold) {
                Chunk chunk = searched.chunk(hit.position);
                context.add(chunk);
                sources.add(new RagResult.Source(chunk.docId, chunk.chunkNo, Math.round(hit.score * 10000) / 10000.0, chunk.metadataJson, chunk.text));
            }
        }
        if (context.isEmpty()) {
            log.write(new CallRecord(call.requestId, call.function, model, call.userId, "no_context")
                    .put("best_similarity", hits.isEmpty() ? null : hits.get(0).score).put("latency_ms", retrieveMs));
            return CompletableFuture.completedFuture(new RagResult("no_context", RagResult.NO_CONTEXT_ANSWER, sources, Usage.NONE, null,
                    new RagResult.Latency(retrieveMs, 0, retrieveMs), "none", model, call.requestId, null, 200));
        }
        if (!llmConfigured) {
            log.write(new CallRecord(call.requestId, call.function, model, call.userId, "success").put("mode", "extractive")
                    .put("latency_ms", retrieveMs));
            return CompletableFuture.completedFuture(new RagResult("success", context.get(0).text, sources, Usage.NONE, null,
                    new RagResult.Latency(retrieveMs, 0, retrieveMs), "extractive", null, call.requestId, null, 200));
        }
        return completions.complete(prompt(request, context), call).handle((outcome, error) -> {
            long total = call.elapsedMillis();
            if (error != null) {
                LlmException e = LlmException.from(error);
                return new RagResult(e.kind().status, null, sources, null, null, new RagResult.Latency(retrieveMs, total - retrieveMs, total),
                        null, model, call.requestId, e.getMessage(), e.kind().httpStatus);
            }
            return new RagResult("success", outcome.content(), sources, outcome.usage == null ? Usage.NONE : outcome.usage, outcome.cost,
                    new RagResult.Latency(retrieveMs, total - retrieveMs, total), "generated", outcome.model, call.requestId, null, 200);
        });
    }

    private void validate(RagRequest request) {
        if (request == null || request.query == null || request.query.isBlank()) {
            throw new LlmException(ErrorKind.INVALID_REQUEST, "field 'query' is required and must not be empty");
        }
        if (request.query.length() > limits.maxQueryChars) {
            throw new LlmException(ErrorKind.PAYLOAD_TOO_LARGE, "field 'query' has " + request.query.length()
                    + " characters; the limit is " + limits.maxQueryChars);
        }
        if (request.topK != null && (request.topK < 1 || request.topK > 50)) {
            throw new LlmException(ErrorKind.INVALID_REQUEST, "field 'top_k' must be between 1 and 50");
        }
        if (request.threshold != null && (request.threshold < -1 || request.threshold > 1)) {
            throw new LlmException(ErrorKind.INVALID_REQUEST, "field 'threshold' is a cosine similarity between -1 and 1");
        }
    }

    /** The reference design's prompt shape: numbered references, then the question. */
    private ObjectNode prompt(RagRequest request, List<Chunk> context) {
        StringBuilder references = new StringBuilder("参考资料：\n");
        for (int i = 0; i < context.size(); i++) {
            references.append('[').append(i + 1).append("] ").append(context.get(i).text).append('\n');
        }
        references.append("\n用户问题：").append(request.query);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (request.model != null) {
            body.put("model", request.model);
        }
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system")
                .put("content", request.systemPrompt == null || request.systemPrompt.isBlank() ? DEFAULT_SYSTEM_PROMPT : request.systemPrompt);
        messages.addObject().put("role", "user").put("content", references.toString());
        body.put("temperature", 0.3);
        return body;
    }

    private static RagResult failure(String status, String error, int httpStatus, String model, CallContext call) {
        return new RagResult(status, null, null, null, null, null, null, model, call.requestId, error, httpStatus);
    }
}
