package io.jingnei.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.entry.OpenAiSurface;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.request.RequestBodies;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The OpenAI-compatible surface over the core's {@link OpenAiSurface}: chat completions (streamed
 * or not), embeddings, the model list and one model, so existing SDK code only changes its base
 * URL. Every answer carries our request id; the upstream's own as {@code x-upstream-request-id}.
 */
@ApplicationScoped
public class OpenAiRoutes {
    @Inject
    OpenAiSurface surface;
    @Inject
    ObjectMapper json;

    void register(@Observes Router router) {
        router.get("/v1/models").handler(this::models);
        router.get("/v1/models/:id").handler(this::model);
        router.post("/v1/chat/completions").handler(this::completions);
        router.post("/v1/embeddings").handler(this::embeddings);
        router.get("/v1/usage").handler(this::usage);
    }

    private void usage(RoutingContext ctx) {
        String user = ctx.queryParams().get("user");
        reply(ctx, Uni.createFrom().completionStage(() -> surface.usage(AccessGate.caller(ctx), user)));
    }

    private void models(RoutingContext ctx) {
        reply(ctx, Uni.createFrom().completionStage(surface::models));
    }

    private void model(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        reply(ctx, Uni.createFrom().completionStage(() -> surface.model(id)));
    }

    private void completions(RoutingContext ctx) {
        ObjectNode body;
        CallContext call;
        try {
            body = RequestBodies.readObject(bytes(ctx));
            call = surface.prepare(AccessGate.caller(ctx), body, AccessGate.requestId(ctx));
            surface.noteCallerRetry(call, ctx.request().getHeader("x-stainless-retry-count"), ctx.request().getHeader("x-request-id"));
        } catch (JingneiException e) {
            Errors.writeOpenAi(json, ctx, e);
            return;
        }
        CallContext c = call;
        if (body.path("stream").asBoolean(false)) {
            SseResponder.chatChunks(json).respond(ctx, surface.stream(body, c), (r, e) -> Errors.writeOpenAi(json, r, e),
                    () -> upstreamId(ctx, c));
            return;
        }
        CallerGone.cancelOnClose(ctx, c.trace);
        Uni.createFrom().completionStage(() -> surface.complete(body, c)).subscribe().with(
                response -> {
                    upstreamId(ctx, c);
                    ctx.response().putHeader("Content-Type", "application/json").end(response.toString());
                },
                error -> Errors.writeOpenAi(json, ctx, JingneiException.from(error)));
    }

    private void embeddings(RoutingContext ctx) {
        ObjectNode body;
        try {
            body = RequestBodies.readObject(bytes(ctx));
        } catch (JingneiException e) {
            Errors.writeOpenAi(json, ctx, e);
            return;
        }
        reply(ctx, Uni.createFrom().completionStage(() -> surface.embeddings(AccessGate.caller(ctx), body, AccessGate.requestId(ctx))));
    }

    private void reply(RoutingContext ctx, Uni<ObjectNode> answer) {
        answer.subscribe().with(
                node -> ctx.response().putHeader("Content-Type", "application/json").end(node.toString()),
                error -> Errors.writeOpenAi(json, ctx, JingneiException.from(error)));
    }

    static void upstreamId(RoutingContext ctx, CallContext call) {
        String id = call.trace.upstreamRequestId();
        if (id != null && !ctx.response().headWritten()) {
            ctx.response().putHeader("x-upstream-request-id", id);
        }
    }

    static byte[] bytes(RoutingContext ctx) {
        return ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    }
}
