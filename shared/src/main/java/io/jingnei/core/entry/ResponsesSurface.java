package io.jingnei.core.entry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.responses.ResponseEventPublisher;
import io.jingnei.core.responses.ResponseEvents;
import io.jingnei.core.responses.ResponseObjects;
import io.jingnei.core.responses.ResponsesRequest;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * {@code POST /v1/responses} (the OpenAI Responses API) on top of the chat-completions path: the
 * body becomes a chat body ({@link ResponsesRequest}), which then takes exactly the way a
 * {@code /v1/chat/completions} call takes through {@link OpenAiSurface}: the same caps, admission,
 * cache rules, masking, cost and log line (function {@code responses}). Only the answer's shape
 * changes, back into a Response object or the {@code response.*} events.
 */
public final class ResponsesSurface {
    private final JingneiInstance instance;
    private final OpenAiSurface chat;

    public ResponsesSurface(JingneiInstance instance, OpenAiSurface chat) {
        this.instance = instance;
        this.chat = chat;
    }

    /** A checked request and the context it is accounted under. */
    public static final class Prepared {
        public final ResponsesRequest request;
        public final CallContext call;

        Prepared(ResponsesRequest request, CallContext call) {
            this.request = request;
            this.call = call;
        }

        public boolean streamed() {
            return request.stream;
        }
    }

    /** @throws JingneiException what the body asks that is malformed, not served or over a cap (already logged) */
    public Prepared prepare(Caller caller, ObjectNode body, String requestId) {
        CallContext ctx = new CallContext(requestId, "responses", caller);
        ResponsesRequest request;
        try {
            request = ResponsesRequest.from(body);
        } catch (JingneiException refused) {
            instance.completions().rejected(ctx, body.path("model").isTextual() ? body.path("model").asText() : null, refused);
            throw refused;
        }
        try {
            return new Prepared(request, chat.prepare(ctx, request.chat));
        } catch (JingneiException refused) {
            throw ResponsesRequest.inResponsesTerms(refused);
        }
    }

    /** As on chat completions: a caller's own retry makes us retry less ({@link OpenAiSurface#noteCallerRetry}). */
    public void noteCallerRetry(Prepared prepared, String retryCount, String callerRequestId) {
        chat.noteCallerRetry(prepared.call, retryCount, callerRequestId);
    }

    public CompletableFuture<ObjectNode> complete(Prepared prepared) {
        return chat.complete(prepared.request.chat, prepared.call)
                .thenApply(completion -> ResponseObjects.fromChat(completion, prepared.request.echo, prepared.call.requestId));
    }

    /** The events of {@link ResponseEvents}; the future fails, as on chat, when nothing could be streamed. */
    public CompletableFuture<Flow.Publisher<ObjectNode>> stream(Prepared prepared) {
        ObjectNode body = prepared.request.chat;
        return chat.stream(body, prepared.call).thenApply(chunks -> new ResponseEventPublisher(chunks,
                new ResponseEvents(prepared.call.requestId, prepared.request.echo, body.path("model").asText())));
    }
}
