package io.jingnei.core.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.cache.AnswerCache;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.llm.Completions;
import io.jingnei.core.pricing.Cost;
import io.jingnei.core.pricing.Usage;
import io.jingnei.core.rag.RagPrompt;
import io.jingnei.core.rag.RagRequest;
import io.jingnei.core.rag.RagResult;
import io.jingnei.core.rag.RagService;
import io.jingnei.core.rag.Retrieval;
import io.jingnei.core.stream.QueueSubscription;
import io.jingnei.core.stream.ReplayPublisher;
import io.jingnei.core.util.Json;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * {@code /rag-stream}: the rag-query answer as a stream of events: first the sources
 * ({@code {"sources": [...], "request_id"}}), then the answer's chunks in the OpenAI chunk format as
 * the LLM sends them, then a final event with status, mode, usage, cost, latency and model; the
 * adapter ends with {@code [DONE]}. The fixed no-context answer, an extract (no LLM key) and an
 * answer from the answer cache are streamed the same way; a cached one's final event says
 * {@code "cached": true}, at no cost. The cache is rag-query's, under the same key (looked up
 * exactly first, then, once the question is embedded, by similarity), and a streamed answer is kept
 * there once it has ended well. A failure before the first event is an ordinary error; after it,
 * an error event ends the stream.
 */
final class RagStreams {
    private static final ObjectMapper JSON = Json.mapper();

    private RagStreams() {
    }

    /**
     * Fails for bad input, personal information in block mode (refused before any cache lookup, as
     * rag-query refuses it) or an index that cannot be searched; the cache never fails a call.
     */
    static CompletableFuture<Flow.Publisher<ObjectNode>> of(RagService rag, Completions completions, RagRequest asked, CallContext ctx) {
        RagRequest request;
        Optional<AnswerCache.Key> key;
        try {
            request = rag.bounded(asked, ctx);
            key = rag.answerCache().key(request, ctx.caller);
        } catch (JingneiException refused) {
            completions.rejected(ctx, asked == null ? null : asked.model, refused);
            return CompletableFuture.failedFuture(refused);
        }
        return rag.answerCache().cached(key, request, ctx).thenCompose(exact -> exact.isPresent()
                ? CompletableFuture.completedFuture(replayed(exact.get(), ctx, 0))
                : rag.retrieve(request, ctx).thenCompose(found -> rag.answerCache().cachedSimilar(key, found).thenCompose(similar -> similar.isPresent()
                        ? CompletableFuture.completedFuture(replayed(similar.get(), found.call, found.retrieveMs))
                        : answer(rag, completions, found, key))));
    }

    private static CompletableFuture<Flow.Publisher<ObjectNode>> answer(RagService rag, Completions completions, Retrieval found,
                                                                          Optional<AnswerCache.Key> key) {
        if (found.empty() || !rag.llmConfigured()) {
            return rag.answer(found).thenApply(result -> replayed(result, found.call, found.retrieveMs));
        }
        ObjectNode sources = sourcesEvent(found.sources, found.call.requestId);
        return rag.answerStream(found).thenApply(chunks -> subscriber -> chunks.subscribe(
                new Relay(subscriber, sources, found, completions, (answer, model) -> rag.answerCache().keepStreamed(key, found, answer, model),
                        model -> rag.declinedStream(found, model))));
    }

    private static ObjectNode sourcesEvent(List<RagResult.Source> sources, String requestId) {
        ObjectNode event = JSON.createObjectNode();
        event.set("sources", JSON.valueToTree(sources));
        event.put("request_id", requestId);
        return event;
    }

    /** An answer already whole (no context, an extract, the cache), replayed as chunks between the sources and the final event. */
    private static Flow.Publisher<ObjectNode> replayed(RagResult result, CallContext call, long retrieveMs) {
        ObjectNode sources = sourcesEvent(result.sources, call.requestId);
        return subscriber -> {
            QueueSubscription<ObjectNode> out = new QueueSubscription<>(subscriber, () -> { });
            subscriber.onSubscribe(out);
            out.emit(sources);
            ReplayPublisher.of(result.answer, result.model, call.requestId).subscribe(new Flow.Subscriber<ObjectNode>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(ObjectNode chunk) {
                    if (chunk.path("choices").size() > 0) {
                        out.emit(chunk);
                    }
                }

                @Override
                public void onError(Throwable t) {
                    out.fail(t);
                }

                @Override
                public void onComplete() {
                    ObjectNode done = finalEvent(result.status, result.mode, Usage.NONE, JSON.valueToTree(Cost.ZERO), retrieveMs,
                            call.elapsedMillis(), result.model, call.requestId);
                    if (Boolean.TRUE.equals(result.cached)) {
                        done.put("cached", true);
                    }
                    out.emit(done);
                    out.complete();
                }
            });
        };
    }

    static ObjectNode finalEvent(String status, String mode, Usage usage, JsonNode cost, long retrieveMs, long totalMs, String model,
                                 String requestId) {
        ObjectNode event = JSON.createObjectNode().put("status", status).put("mode", mode);
        event.set("usage", JSON.valueToTree(usage == null ? Usage.NONE : usage));
        event.set("cost", cost);
        event.putObject("latency_ms").put("retrieve", retrieveMs).put("llm", Math.max(0, totalMs - retrieveMs)).put("total", totalMs);
        if (model != null) {
            event.put("model", model);
        }
        event.put("request_id", requestId);
        return event;
    }

    /** Told the whole answer once the LLM's stream has ended well; not after a failure or a cancel. */
    private interface Keeper {
        void keep(String answer, String model);
    }

    /**
     * Sources first, then the LLM's chunks (the usage chunk becomes the final event), passing demand
     * through. While the answer may still be the model declining ({@link RagService#NO_ANSWER_MARKER}),
     * its chunks are held back; a declined answer becomes the fixed no-context answer with status
     * {@code no_context}, is not cached, and is still charged (the upstream billed it).
     */
    private static final class Relay implements Flow.Subscriber<ObjectNode> {
        private final Flow.Subscriber<? super ObjectNode> downstream;
        private final ObjectNode sources;
        private final Retrieval found;
        private final Completions completions;
        private final Keeper keeper;
        private final java.util.function.Consumer<String> declined;
        private final StringBuilder answer = new StringBuilder();
        private final List<ObjectNode> held = new java.util.ArrayList<>();
        private boolean released;
        private QueueSubscription<ObjectNode> out;
        private Usage usage;
        private String model;

        Relay(Flow.Subscriber<? super ObjectNode> downstream, ObjectNode sources, Retrieval found, Completions completions, Keeper keeper,
              java.util.function.Consumer<String> declined) {
            this.downstream = downstream;
            this.sources = sources;
            this.found = found;
            this.completions = completions;
            this.keeper = keeper;
            this.declined = declined;
        }

        @Override
        public void onSubscribe(Flow.Subscription upstream) {
            out = new QueueSubscription<>(downstream, upstream::cancel);
            downstream.onSubscribe(out);
            out.emit(sources);
            upstream.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ObjectNode chunk) {
            if (chunk.hasNonNull("model")) {
                model = chunk.path("model").asText();
            }
            if (chunk.path("usage").isObject()) {
                usage = Usage.fromJson(chunk.get("usage"));
            }
            if (chunk.path("choices").size() > 0) {
                answer.append(chunk.path("choices").path(0).path("delta").path("content").asText(""));
                if (released) {
                    out.emit(chunk);
                    return;
                }
                held.add(chunk);
                if (!RagPrompt.mayBeDeclining(answer.toString())) {
                    release();
                }
            }
        }

        private void release() {
            released = true;
            held.forEach(out::emit);
            held.clear();
        }

        @Override
        public void onError(Throwable error) {
            out.fail(JingneiException.from(error));
        }

        @Override
        public void onComplete() {
            String answered = model == null ? found.model : model;
            boolean declinedByLlm = RagPrompt.declined(answer.toString());
            if (declinedByLlm) {
                if (!released) {
                    held.clear();
                    ReplayPublisher.chunks(RagResult.NO_CONTEXT_ANSWER, answered, found.call.requestId, false).forEach(out::emit);
                }
                declined.accept(answered);
            } else {
                release();
                if (!out.isCancelled()) {
                    keeper.keep(answer.toString(), answered);
                }
            }
            out.emit(finalEvent(declinedByLlm ? "no_context" : "success", "generated", usage,
                    JSON.valueToTree(completions.prices().cost(answered, usage)), found.retrieveMs, found.call.elapsedMillis(), answered,
                    found.call.requestId));
            out.complete();
        }
    }
}
