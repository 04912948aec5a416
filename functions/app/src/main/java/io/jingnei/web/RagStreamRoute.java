package io.jingnei.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.entry.FunctionCalls;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.rag.RagRequest;
import io.jingnei.core.request.RequestBodies;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** {@code POST /rag-stream}: the rag-query request, answered as Server-Sent Events (sources, chunks, a final event, [DONE]). */
@ApplicationScoped
public class RagStreamRoute {
    @Inject
    FunctionCalls calls;
    @Inject
    ObjectMapper json;

    void register(@Observes Router router) {
        router.post("/rag-stream").handler(this::stream);
    }

    private void stream(RoutingContext ctx) {
        CallContext call = new CallContext(AccessGate.requestId(ctx), "rag-stream", AccessGate.caller(ctx));
        RagRequest request;
        try {
            request = RequestBodies.read(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes(), RagRequest.class);
        } catch (JingneiException e) {
            calls.instance().completions().rejected(call, null, e);
            Errors.write(json, ctx, e);
            return;
        }
        SseResponder.chatChunks(json).respond(ctx, calls.ragStream(call.caller, request, call.requestId),
                (c, e) -> Errors.write(json, c, e));
    }
}
