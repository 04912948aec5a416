package io.jingnei.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.functions.FunctionCalls;
import io.jingnei.core.functions.Reply;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The FC custom runtime's control paths: {@code POST /initialize} (the initializer: wait until model
 * and index are loaded), {@code POST /invoke} (event invocations: OSS object-created and timer
 * events start a faq-batch), {@code GET /pre-stop}. HTTP triggers reach the ordinary routes.
 */
@ApplicationScoped
public class FcCustomRuntimeRoutes {
    @Inject
    FunctionCalls calls;
    @Inject
    ObjectMapper json;

    void register(@Observes Router router) {
        router.post("/initialize").blockingHandler(this::initialize, false);
        router.post("/invoke").handler(RequestBodies.handler()).blockingHandler(this::invoke, false);
        router.get("/pre-stop").handler(ctx -> ctx.response().end("ok"));
        router.get("/health").handler(this::health);
    }

    /** For the platforms' health checks: up as soon as HTTP is served; says how RAG is doing. */
    private void health(RoutingContext ctx) {
        java.util.concurrent.CompletableFuture<?> rag = calls.instance().rag();
        String state = !rag.isDone() ? "loading" : rag.isCompletedExceptionally() ? "failed" : "ready";
        JsonReplies.write(json, ctx, 200, java.util.Map.of("status", "UP", "rag", state));
    }

    private void initialize(RoutingContext ctx) {
        PlatformCredentials.remember(ctx.request());
        try {
            calls.awaitRag();
            ctx.response().end("ok");
        } catch (FunctionCalls.RagUnavailable e) {
            JsonReplies.write(json, ctx, 500, Reply.failure(500, "boot_failed", e.getMessage(), requestId(ctx)).body);
        }
    }

    private void invoke(RoutingContext ctx) {
        PlatformCredentials.remember(ctx.request());
        Reply reply = calls.faqBatchOnFcEvent(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes(), requestId(ctx));
        JsonReplies.write(json, ctx, reply.status, reply.body);
    }

    private static String requestId(RoutingContext ctx) {
        String id = ctx.request().getHeader("x-fc-request-id");
        return id == null ? java.util.UUID.randomUUID().toString() : id;
    }
}
