package io.jingnei.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.entry.ResponsesSurface;
import io.jingnei.core.request.RequestBodies;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * {@code POST /v1/responses} over the core's {@link ResponsesSurface}: a Response object, or its
 * {@code response.*} events written by the same {@link SseResponder} as chat streams (so a stream
 * that fails after it began ends the same way, and a client that leaves cancels the upstream call).
 */
@ApplicationScoped
public class ResponsesRoute {
    @Inject
    ResponsesSurface surface;
    @Inject
    ObjectMapper json;

    void register(@Observes Router router) {
        router.post("/v1/responses").handler(this::responses);
    }

    private void responses(RoutingContext ctx) {
        ResponsesSurface.Prepared prepared;
        try {
            ObjectNode body = RequestBodies.readObject(OpenAiRoutes.bytes(ctx));
            prepared = surface.prepare(AccessGate.caller(ctx), body, AccessGate.requestId(ctx));
            surface.noteCallerRetry(prepared, ctx.request().getHeader("x-stainless-retry-count"), ctx.request().getHeader("x-request-id"));
        } catch (JingneiException e) {
            Errors.writeOpenAi(json, ctx, e);
            return;
        }
        if (prepared.streamed()) {
            SseResponder.responseEvents(json).respond(ctx, surface.stream(prepared), (r, e) -> Errors.writeOpenAi(json, r, e),
                    () -> OpenAiRoutes.upstreamId(ctx, prepared.call));
            return;
        }
        Uni.createFrom().completionStage(() -> surface.complete(prepared)).subscribe().with(
                response -> {
                    OpenAiRoutes.upstreamId(ctx, prepared.call);
                    ctx.response().putHeader("Content-Type", "application/json").end(response.toString());
                },
                error -> Errors.writeOpenAi(json, ctx, JingneiException.from(error)));
    }
}
