package io.jingnei.functions;

import io.jingnei.core.auth.CorsPolicy;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Answers CORS for the sites the core's {@link CorsPolicy} allows: preflights at once, and the
 * allow-origin header on every answer, errors included, so a browser can read a 401 or a 429.
 */
@ApplicationScoped
public class Cors {
    private final CorsPolicy policy = CorsPolicy.from(InstanceProducer.configEnv());

    /** @return true when the request was a preflight and has been answered */
    boolean handle(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        String allowed = policy.allowOrigin(origin);
        if (allowed == null) {
            return false;
        }
        ctx.response().putHeader("Access-Control-Allow-Origin", allowed)
                .putHeader("Vary", "Origin")
                .putHeader("Access-Control-Expose-Headers", "Retry-After, x-request-id, x-upstream-request-id");
        if (ctx.request().method() == HttpMethod.OPTIONS && ctx.request().getHeader("Access-Control-Request-Method") != null) {
            ctx.response().setStatusCode(204)
                    .putHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                    .putHeader("Access-Control-Allow-Headers", "authorization, content-type, x-api-key, x-request-id")
                    .putHeader("Access-Control-Max-Age", "600")
                    .end();
            return true;
        }
        return false;
    }
}
