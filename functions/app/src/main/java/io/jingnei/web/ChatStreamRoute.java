package io.jingnei.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.chat.ChatRequest;
import io.jingnei.core.chat.ChatRequests;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.entry.FunctionCalls;
import io.jingnei.core.call.CallContext;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** {@code POST /chat-stream}: the {@code /chat} request, answered as OpenAI chunks over SSE. Funqy cannot stream. */
@ApplicationScoped
public class ChatStreamRoute {
    @Inject
    JingneiInstance jingnei;
    @Inject
    FunctionCalls calls;
    @Inject
    ObjectMapper json;

    void register(@Observes Router router) {
        router.post("/chat-stream").handler(this::stream);
    }

    private void stream(RoutingContext ctx) {
        CallContext call = new CallContext(AccessGate.requestId(ctx), "chat-stream", AccessGate.caller(ctx));
        ChatRequest request;
        try {
            request = ChatRequests.parse(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (JingneiException e) {
            jingnei.completions().rejected(call, null, e);
            Errors.write(json, ctx, e);
            return;
        }
        SseResponder.chatChunks(json).respond(ctx, calls.chatStream(call.caller, request, call.requestId), (c, e) -> Errors.write(json, c, e));
    }
}
