package io.jingnei.core.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.limits.Quotas;
import io.jingnei.core.llm.TokenEstimate;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.rag.RagRequest;
import io.jingnei.core.rag.RagResult;
import io.jingnei.core.rag.RagService;
import io.jingnei.core.util.Json;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asks what the plan says still needs asking, at most {@code concurrency} at a time, through the
 * rag-query path. Each answer worth keeping goes into the answer cache as it arrives; if the batch
 * stops, what was answered so far is written before the failure is passed on, so a re-run resumes.
 * A worker takes its next question only once the checkpoints started so far are written.
 */
final class BatchAsker {
    private static final ObjectMapper JSON = Json.mapper();

    final Map<String, ObjectNode> fresh = new ConcurrentHashMap<>();
    /** Answers the LLM was asked for in this run; not the answer cache's, which rag-query also marks "generated". */
    final AtomicInteger llmCalls = new AtomicInteger();
    final AtomicInteger cacheHits = new AtomicInteger();

    void ask(BatchPlan plan, RagService rag, Quotas quotas, CallContext ctx, BoundedMapper mapper, int concurrency) {
        try {
            mapper.map(plan.toAsk, concurrency, entry -> {
                Question q = entry.getValue();
                CallContext call = ctx.forFunction("faq-batch", ctx.requestId + "-" + q.line);
                // Each question is admitted like any call: a batch's budget ('platform:' or the admin's entry) stops it.
                return quotas.admit(call, TokenEstimate.ofRag(null, q.text, null, null)).handle((admitted, refused) -> refused)
                        .thenCompose(refused -> refused != null
                                ? CompletableFuture.completedFuture(refusedAnswer(JingneiException.from(refused)))
                                : quotas.releasingWhenDone(call, rag.query(new RagRequest(q.text, null, null, null, q.userId, null, null), call))
                                        .thenApply(result -> {
                                    if (Boolean.TRUE.equals(result.cached)) {
                                        cacheHits.incrementAndGet();
                                    } else if ("generated".equals(result.mode)) {
                                        llmCalls.incrementAndGet();
                                    }
                                    ObjectNode answer = answerOf(result);
                                    if (cacheable(result)) {
                                        plan.cache.put(entry.getKey(), answer);
                                    }
                                    return answer;
                                }))
                        .thenApply(answer -> {
                            fresh.put(entry.getKey(), answer);
                            return answer;
                        })
                        .thenCompose(answer -> plan.cache.saved().thenApply(saved -> answer)); // a stuck checkpoint holds the next question back
            });
        } catch (RuntimeException stopped) {
            try {
                plan.cache.flush(); // keep what was answered before the failure, for the re-run
            } catch (RuntimeException alsoFailed) {
                stopped.addSuppressed(alsoFailed);
            }
            throw stopped;
        }
        plan.cache.flush();
    }

    /** Answers worth keeping: a failure (rate limit, timeout) must be asked again on the next run. */
    private static boolean cacheable(RagResult result) {
        return "success".equals(result.status) || "no_context".equals(result.status);
    }

    /** A question its limits refused: failed on its own line, asked again by the next run. */
    private static ObjectNode refusedAnswer(JingneiException e) {
        ObjectNode answer = JSON.createObjectNode();
        answer.putNull("answer");
        answer.put("status", e.kind().status);
        answer.putArray("sources");
        answer.putObject("usage").put("prompt_tokens", 0).put("completion_tokens", 0).put("total_tokens", 0);
        answer.putObject("cost").put("usd", 0).put("cny", 0);
        answer.put("error", e.getMessage());
        return answer;
    }

    static ObjectNode answerOf(RagResult result) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("answer", result.answer);
        answer.put("status", result.status);
        ArrayNode sources = answer.putArray("sources");
        if (result.sources != null) {
            for (RagResult.Source source : result.sources) {
                sources.addObject().put("id", source.id).put("chunk", source.chunk).put("similarity", source.similarity);
            }
        }
        answer.set("usage", JSON.valueToTree(result.usage));
        answer.set("cost", result.cost == null ? JSON.createObjectNode().put("usd", 0).put("cny", 0) : JSON.valueToTree(result.cost));
        if (result.error != null) {
            answer.put("error", result.error);
        }
        return answer;
    }
}
