package io.jingnei.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.entry.FunctionCalls;
import io.jingnei.core.entry.FunctionSpec;
import io.jingnei.core.entry.Functions;
import io.jingnei.core.error.JingneiException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The streamed functions of {@link Functions} ({@code POST /chat-stream}: the {@code /chat} request
 * as OpenAI chunks; {@code POST /rag-stream}: sources, chunks, a final event), written as
 * Server-Sent Events by {@link SseResponder}. Funqy cannot stream, so these are Vert.x routes.
 */
@ApplicationScoped
public class StreamRoutes {
    @Inject
    FunctionCalls calls;
    @Inject
    ObjectMapper json;

    void register(@Observes Router router) {
        for (FunctionSpec<?> function : Functions.all()) {
            if (function.streamed()) {
                router.post(function.path).handler(ctx -> stream(function, ctx));
            }
        }
    }

    private <B> void stream(FunctionSpec<B> function, RoutingContext ctx) {
        CallContext call = new CallContext(AccessGate.requestId(ctx), function.name, AccessGate.caller(ctx));
        B request;
        try {
            request = function.read(OpenAiRoutes.bytes(ctx));
        } catch (JingneiException e) {
            calls.instance().completions().rejected(call, null, e);
            Errors.write(json, ctx, e);
            return;
        }
        SseResponder.chatChunks(json).respond(ctx, function.stream(calls, call.caller, request, call.requestId), (c, e) -> Errors.write(json, c, e));
    }
}
