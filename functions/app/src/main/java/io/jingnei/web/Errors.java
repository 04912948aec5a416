package io.jingnei.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.entry.Functions;
import io.jingnei.core.entry.Reply;
import io.jingnei.core.llm.UpstreamException;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes every failure of the web function from the core's error table, in the route's own shape:
 * {@code {status, error, request_id}} on our functions, {@code {"error": {message, type, param, code}}}
 * on {@code /v1} (where the upstream's own type, code and param are kept, already redacted, and
 * {@code x-should-retry: false} tells SDKs our retries are spent; our own rate limits say
 * {@code true}, with Retry-After).
 */
final class Errors {
    private Errors() {
    }

    static void write(ObjectMapper json, RoutingContext ctx, JingneiException e) {
        if (Functions.openAi(ctx.normalizedPath())) {
            writeOpenAi(json, ctx, e);
        } else {
            Reply reply = Reply.failure(e, AccessGate.requestId(ctx));
            write(json, ctx, reply);
        }
    }

    static void write(ObjectMapper json, RoutingContext ctx, Reply reply) {
        if (ctx.response().headWritten() || ctx.response().closed()) {
            return;
        }
        reply.headers.forEach((name, value) -> ctx.response().putHeader(name, value));
        try {
            ctx.response().setStatusCode(reply.status).putHeader("Content-Type", "application/json; charset=utf-8")
                    .end(json.writeValueAsString(reply.body));
        } catch (Exception writeFailed) {
            ctx.response().setStatusCode(500).end("{\"status\":\"internal_error\",\"error\":\"cannot write the answer\"}");
        }
    }

    static void writeOpenAi(ObjectMapper json, RoutingContext ctx, JingneiException e) {
        if (ctx.response().closed() || ctx.response().headWritten()) {
            return;
        }
        Reply.headersFor(e).forEach((name, value) -> ctx.response().putHeader(name, value));
        try {
            // A failure that says when to come back (our rate limit, an upstream's passed back, a key
            // resting, an open breaker) lets the SDK retry then. Anything else already had our retries.
            boolean comeBack = Reply.headersFor(e).containsKey("Retry-After")
                    && (e.kind() == ErrorKind.RATE_LIMITED || e.kind() == ErrorKind.UPSTREAM_UNAVAILABLE);
            ctx.response().setStatusCode(e.kind().httpStatus)
                    .putHeader("Content-Type", "application/json; charset=utf-8")
                    .putHeader("x-should-retry", comeBack ? "true" : "false")
                    .end(json.writeValueAsString(Map.of("error", openAiError(e))));
        } catch (Exception writeFailed) {
            ctx.response().setStatusCode(500).end();
        }
    }

    static Map<String, Object> openAiError(JingneiException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", e.getMessage());
        String type = e.kind().openAiType();
        String code = e.kind().openAiCode();
        Object param = e.param().orElse(null);
        if (e instanceof UpstreamException) {
            UpstreamException u = (UpstreamException) e;
            if (e.kind().httpStatus < 500) {
                type = u.upstreamType().orElse(type);
            }
            code = u.upstreamCode().orElse(code);
            param = u.upstreamParam().orElse((String) param);
        }
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return error;
    }
}
