package io.jingnei.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.error.JingneiException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * Writes a chunk stream as Server-Sent Events the way the OpenAI SDKs read them: each event is
 * exactly {@code data: <json>} and a blank line, written as soon as it arrives, ending with
 * {@code data: [DONE]}. A failure before the first chunk is an ordinary HTTP error; after it, a
 * final {@code data: {"error": ...}} event and then an abnormal end (the connection is reset, the
 * chunked body never gets its last chunk), because LangChain4j and Spring AI ignore in-band error
 * events and would report the truncated text as a complete answer. A client that goes away cancels
 * the upstream call.
 *
 * <p>The Responses API frames its events differently, as OpenAI sends them: each event carries an
 * {@code event: <type>} line before its data, and the stream ends after {@code response.completed}
 * (or {@code response.incomplete}) without {@code [DONE]}; a failure after the start is
 * {@code response.failed}, then an {@code error} event and the same abnormal end.
 */
final class SseResponder {
    /** How long a failed stream's connection stays open after its error event (see relay). */
    private static final long ERROR_LINGER_MS = 200;

    private final ObjectMapper json;
    private final boolean namedEvents;

    private SseResponder(ObjectMapper json, boolean namedEvents) {
        this.json = json;
        this.namedEvents = namedEvents;
    }

    /** Chat completion chunks: {@code data:} lines, ending with {@code data: [DONE]}. */
    static SseResponder chatChunks(ObjectMapper json) {
        return new SseResponder(json, false);
    }

    /** Responses API events: {@code event:} and {@code data:} lines, no {@code [DONE]}. */
    static SseResponder responseEvents(ObjectMapper json) {
        return new SseResponder(json, true);
    }

    /** @param beforeStream writes a failure that happened before any event was sent */
    void respond(RoutingContext ctx, CompletableFuture<Flow.Publisher<ObjectNode>> stream,
                 BiConsumer<RoutingContext, JingneiException> beforeStream) {
        respond(ctx, stream, beforeStream, () -> { });
    }

    /** @param onOpen runs just before the response head is written (to add headers known only then) */
    void respond(RoutingContext ctx, CompletableFuture<Flow.Publisher<ObjectNode>> stream,
                 BiConsumer<RoutingContext, JingneiException> beforeStream, Runnable onOpen) {
        Uni.createFrom().completionStage(stream).subscribe().with(
                publisher -> relay(ctx, publisher, beforeStream, onOpen),
                error -> beforeStream.accept(ctx, JingneiException.from(error)));
    }

    private void relay(RoutingContext ctx, Flow.Publisher<ObjectNode> publisher, BiConsumer<RoutingContext, JingneiException> beforeStream,
                       Runnable onOpen) {
        HttpServerResponse response = ctx.response();
        if (response.closed()) {
            publisher.subscribe(new CancelAtOnce());
            return;
        }
        AtomicReference<Cancellable> subscription = new AtomicReference<>();
        AtomicBoolean clientGone = new AtomicBoolean();
        response.closeHandler(closed -> {
            clientGone.set(true);
            Cancellable running = subscription.get();
            if (running != null) {
                running.cancel();
            }
        });
        Cancellable running = Multi.createFrom().publisher(publisher)
                .map(this::event)
                .subscribe().with(
                        event -> {
                            if (!response.headWritten()) {
                                onOpen.run();
                            }
                            open(response);
                            response.write(event);
                        },
                        error -> {
                            if (!response.headWritten()) {
                                beforeStream.accept(ctx, JingneiException.from(error));
                            } else if (!response.closed()) {
                                // End the connection only once the event is written, and then after a short linger:
                                // the JDK's HttpClient (LangChain4j's and Spring AI's default transport) throws
                                // as soon as the connection ends early and drops bytes its reader has not taken
                                // yet (HttpResponseInputStream.current), so closing at once can swallow the event.
                                response.write(errorEvent(JingneiException.from(error)))
                                        .onComplete(written -> ctx.vertx().setTimer(ERROR_LINGER_MS, timer -> response.reset()));
                            }
                        },
                        () -> {
                            if (!response.closed()) {
                                open(response);
                                if (namedEvents) {
                                    response.end();
                                } else {
                                    response.end("data: [DONE]\n\n");
                                }
                            }
                        });
        subscription.set(running);
        if (clientGone.get()) {
            running.cancel();
        }
    }

    private static void open(HttpServerResponse response) {
        if (!response.headWritten()) {
            response.setStatusCode(200)
                    .setChunked(true)
                    .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                    .putHeader("Cache-Control", "no-cache")
                    .putHeader("X-Accel-Buffering", "no");
        }
    }

    private String event(ObjectNode chunk) {
        try {
            String data = "data: " + json.writeValueAsString(chunk) + "\n\n";
            return namedEvents ? "event: " + chunk.path("type").asText() + "\n" + data : data;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String errorEvent(JingneiException error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", Errors.openAiError(error));
        String name = namedEvents ? "event: error\n" : "";
        try {
            return name + "data: " + json.writeValueAsString(body) + "\n\n";
        } catch (JsonProcessingException e) {
            return name + "data: {\"error\":{\"message\":\"stream failed\"}}\n\n";
        }
    }

    /** For a client already gone: the stream starts and is cancelled at once, so it is still logged. */
    private static final class CancelAtOnce implements Flow.Subscriber<ObjectNode> {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.cancel();
        }

        @Override
        public void onNext(ObjectNode item) {
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }
    }
}
