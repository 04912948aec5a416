package io.jingnei.functions;

import com.fasterxml.jackson.databind.JsonNode;
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
        String requestId = requestId(ctx);
        Reply reply;
        try {
            reply = dispatch(json.readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes()), requestId);
        } catch (java.io.IOException e) {
            reply = Reply.failure(400, "invalid_request", "the event is not valid JSON", requestId);
        }
        JsonReplies.write(json, ctx, reply.status, reply.body);
    }

    /** Which function an event is for, by its documented shape. */
    private Reply dispatch(JsonNode event, String requestId) {
        JsonNode oss = event == null ? null : event.path("events").path(0).path("oss");
        if (oss != null && oss.isObject()) {
            return calls.faqBatchOnObject("oss", oss.path("bucket").path("name").asText(), oss.path("object").path("key").asText(), requestId);
        }
        if (event != null && event.has("triggerTime") && event.has("payload")) {
            return calls.faqBatchOnTimer(event.path("payload").asText(), requestId);
        }
        if (event != null && event.has("input")) {
            return calls.faqBatch(new io.jingnei.core.batch.FaqBatchRequest(event.path("input").asText(), event.path("output").asText(null)), requestId);
        }
        return Reply.failure(400, "invalid_request", "unsupported event: expected an OSS object-created event, a timer event or {\"input\": ...}", requestId);
    }

    private static String requestId(RoutingContext ctx) {
        String id = ctx.request().getHeader("x-fc-request-id");
        return id == null ? java.util.UUID.randomUUID().toString() : id;
    }
}
