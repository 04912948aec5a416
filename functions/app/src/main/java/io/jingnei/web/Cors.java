package io.jingnei.web;

import io.jingnei.core.auth.CorsPolicy;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Answers CORS for the sites the core's {@link CorsPolicy} allows: preflights at once, and the
 * allow-origin header on every answer, errors included, so a browser can read a 401 or a 429.
 * The official SDKs run in browsers too (openai-node with {@code dangerouslyAllowBrowser}): they send
 * {@code x-stainless-*} headers, which must pass the preflight, and read {@code x-should-retry} and
 * {@code retry-after-ms}, which must be exposed.
 */
@ApplicationScoped
public class Cors {
    /** Request headers a browser caller may send; any {@code x-stainless-*} (the SDKs' own) too. */
    static final Set<String> ALLOWED_HEADERS = Set.of("authorization", "content-type", "accept", "x-api-key", "x-request-id",
            "openai-organization", "openai-project", "openai-beta", "idempotency-key");
    static final String EXPOSED = "Retry-After, retry-after-ms, x-should-retry, x-request-id, x-upstream-request-id";

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
                .putHeader("Access-Control-Expose-Headers", EXPOSED);
        if (ctx.request().method() == HttpMethod.OPTIONS && ctx.request().getHeader("Access-Control-Request-Method") != null) {
            ctx.response().setStatusCode(204)
                    .putHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                    .putHeader("Access-Control-Allow-Headers", allowHeaders(ctx.request().getHeader("Access-Control-Request-Headers")))
                    .putHeader("Access-Control-Max-Age", "600")
                    .end();
            return true;
        }
        return false;
    }

    /**
     * The headers a preflight may have: those asked for that we accept (a header list is not a place
     * for wildcards with Authorization, so the SDK's {@code x-stainless-*} are named back one by one).
     */
    static String allowHeaders(String requested) {
        StringJoiner out = new StringJoiner(", ");
        ALLOWED_HEADERS.stream().sorted().forEach(out::add);
        if (requested != null) {
            for (String header : requested.split(",")) {
                String name = header.trim().toLowerCase(Locale.ROOT);
                if (name.startsWith("x-stainless-") && name.matches("[a-z0-9-]{1,64}")) {
                    out.add(name);
                }
            }
        }
        return out.toString();
    }
}
