package io.jingnei.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.llm.LlmException;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;

/** Errors in the OpenAI shape, so SDKs raise the matching exception class. */
final class OpenAiErrors {
    private OpenAiErrors() {
    }

    static Map<String, Object> error(LlmException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", e.getMessage());
        error.put("type", e.kind().openAiType());
        error.put("param", null);
        error.put("code", e.kind().status);
        return error;
    }

    /**
     * Our retries are already spent when an error reaches the caller, so SDK retries would only
     * multiply the load on a struggling upstream: {@code x-should-retry: false} tells them so.
     */
    static void write(ObjectMapper json, RoutingContext ctx, LlmException e) {
        if (ctx.response().closed() || ctx.response().headWritten()) {
            return;
        }
        try {
            ctx.response().setStatusCode(e.kind().httpStatus)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("x-should-retry", "false")
                    .end(json.writeValueAsString(Map.of("error", error(e))));
        } catch (Exception writeFailed) {
            ctx.response().setStatusCode(500).end();
        }
    }
}
