package io.jingnei.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.llm.LlmException;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;

/** JSON answers of our own functions, failures in the {@code {status, error, request_id}} shape of {@code /chat}. */
final class JsonReplies {
    private JsonReplies() {
    }

    static void failure(ObjectMapper json, RoutingContext ctx, LlmException e, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", e.kind().status);
        body.put("error", e.getMessage());
        body.put("request_id", requestId);
        write(json, ctx, e.kind().httpStatus, body);
    }

    static void write(ObjectMapper json, RoutingContext ctx, int status, Object body) {
        if (ctx.response().headWritten() || ctx.response().closed()) {
            return;
        }
        try {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(json.writeValueAsString(body));
        } catch (Exception writeFailed) {
            ctx.response().setStatusCode(500).end();
        }
    }
}
