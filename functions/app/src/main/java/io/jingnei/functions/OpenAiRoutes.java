package io.jingnei.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.llm.CallContext;
import io.jingnei.core.llm.ErrorKind;
import io.jingnei.core.llm.LlmException;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The OpenAI-compatible surface: {@code POST /v1/chat/completions} (streaming or not) and
 * {@code GET /v1/models}, so existing SDK code only changes its base URL.
 */
@ApplicationScoped
public class OpenAiRoutes {
    @Inject
    JingneiInstance jingnei;
    @Inject
    ObjectMapper json;

    void register(@Observes Router router) {
        router.get("/v1/models").handler(this::models);
        router.post("/v1/chat/completions").handler(RequestBodies.handler()).handler(this::completions);
    }

    private void models(RoutingContext ctx) {
        try {
            ClientAuth.user(jingnei.config().clientKeys, ctx);
        } catch (LlmException e) {
            OpenAiErrors.write(json, ctx, e);
            return;
        }
        Uni.createFrom().completionStage(jingnei.completions().catalog().list()).subscribe().with(
                list -> ctx.response().putHeader("Content-Type", "application/json").end(list.toString()),
                error -> OpenAiErrors.write(json, ctx, LlmException.from(error)));
    }

    private void completions(RoutingContext ctx) {
        CallContext call = RequestContexts.of(ctx, "chat-completions", null);
        ObjectNode body;
        try {
            call = call.withUser(ClientAuth.user(jingnei.config().clientKeys, ctx).orElse(null));
            body = readBody(ctx);
            if (call.userId == null && body.path("user").isTextual()) {
                call = call.withUser(body.path("user").asText());
            }
        } catch (LlmException e) {
            jingnei.completions().rejected(call, null, e);
            OpenAiErrors.write(json, ctx, e);
            return;
        }
        if (body.path("stream").asBoolean(false)) {
            new SseResponder(json).respond(ctx, jingnei.completions().stream(body, call, false),
                    (c, e) -> OpenAiErrors.write(json, c, e));
            return;
        }
        Uni.createFrom().completionStage(jingnei.completions().complete(body, call)).subscribe().with(
                outcome -> ctx.response().putHeader("Content-Type", "application/json").end(outcome.response.toString()),
                error -> OpenAiErrors.write(json, ctx, LlmException.from(error)));
    }

    private ObjectNode readBody(RoutingContext ctx) {
        JsonNode node;
        try {
            node = ctx.body().buffer() == null ? null : json.readTree(ctx.body().buffer().getBytes());
        } catch (Exception e) {
            throw new LlmException(ErrorKind.INVALID_REQUEST, "request body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new LlmException(ErrorKind.INVALID_REQUEST, "request body must be a JSON object");
        }
        JsonNode messages = node.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw new LlmException(ErrorKind.INVALID_REQUEST, "'messages' is required and must be a non-empty array");
        }
        if (node.has("model") && !node.path("model").isTextual()) {
            throw new LlmException(ErrorKind.INVALID_REQUEST, "'model' must be a string");
        }
        return (ObjectNode) node;
    }
}
