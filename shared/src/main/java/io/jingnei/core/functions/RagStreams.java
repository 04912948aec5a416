package io.jingnei.core.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.llm.Completions;
import io.jingnei.core.pricing.Usage;
import io.jingnei.core.rag.RagResult;
import io.jingnei.core.rag.RagService;
import io.jingnei.core.rag.Retrieval;
import io.jingnei.core.stream.QueueSubscription;
import io.jingnei.core.stream.ReplayPublisher;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * {@code /rag-stream}: the rag-query answer as a stream of events: first the sources
 * ({@code {"sources": [...], "request_id"}}), then the answer's chunks in the OpenAI chunk format as
 * the LLM sends them, then a final event with status, mode, usage, cost, latency and model; the
 * adapter ends with {@code [DONE]}. The fixed no-context answer and an extract (no LLM key) are
 * streamed the same way. A failure before the first event is an ordinary error; after it, an error
 * event ends the stream.
 */
final class RagStreams {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RagStreams() {
    }

    static CompletableFuture<Flow.Publisher<ObjectNode>> of(RagService rag, Completions completions, Retrieval found) {
        ObjectNode sources = JSON.createObjectNode();
        sources.set("sources", JSON.valueToTree(found.sources));
        sources.put("request_id", found.call.requestId);
        if (found.empty() || !rag.llmConfigured()) {
            return rag.answer(found).thenApply(result -> fixed(sources, result, found));
        }
        return rag.answerStream(found).thenApply(chunks -> subscriber -> {
            Relay relay = new Relay(subscriber, sources, found, completions);
            chunks.subscribe(relay);
        });
    }

    /** A no-context or extractive answer, replayed as chunks between the sources and the final event. */
    private static Flow.Publisher<ObjectNode> fixed(ObjectNode sources, RagResult result, Retrieval found) {
        return subscriber -> {
            QueueSubscription<ObjectNode> out = new QueueSubscription<>(subscriber, () -> { });
            subscriber.onSubscribe(out);
            out.emit(sources);
            ReplayPublisher.of(result.answer, result.model, found.call.requestId).subscribe(new Flow.Subscriber<ObjectNode>() {
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
                    out.emit(finalEvent(result.status, result.mode, Usage.NONE, JSON.valueToTree(io.jingnei.core.pricing.Cost.ZERO),
                            found, found.call.elapsedMillis(), result.model));
                    out.complete();
                }
            });
        };
    }

    static ObjectNode finalEvent(String status, String mode, Usage usage, JsonNode cost, Retrieval found, long totalMs, String model) {
        ObjectNode event = JSON.createObjectNode().put("status", status).put("mode", mode);
        event.set("usage", JSON.valueToTree(usage == null ? Usage.NONE : usage));
        event.set("cost", cost);
        event.putObject("latency_ms").put("retrieve", found.retrieveMs).put("llm", Math.max(0, totalMs - found.retrieveMs)).put("total", totalMs);
        if (model != null) {
            event.put("model", model);
        }
        event.put("request_id", found.call.requestId);
        return event;
    }

    /** Sources first, then the LLM's chunks (the usage chunk becomes the final event), passing demand through. */
    private static final class Relay implements Flow.Subscriber<ObjectNode> {
        private final Flow.Subscriber<? super ObjectNode> downstream;
        private final ObjectNode sources;
        private final Retrieval found;
        private final Completions completions;
        private QueueSubscription<ObjectNode> out;
        private Usage usage;
        private String model;

        Relay(Flow.Subscriber<? super ObjectNode> downstream, ObjectNode sources, Retrieval found, Completions completions) {
            this.downstream = downstream;
            this.sources = sources;
            this.found = found;
            this.completions = completions;
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
                out.emit(chunk);
            }
        }

        @Override
        public void onError(Throwable error) {
            out.fail(JingneiException.from(error));
        }

        @Override
        public void onComplete() {
            String answered = model == null ? found.model : model;
            out.emit(finalEvent("success", "generated", usage, JSON.valueToTree(completions.prices().cost(answered, usage)), found,
                    found.call.elapsedMillis(), answered));
            out.complete();
        }
    }
}
