package io.jingnei.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The chat page ({@code GET /}) and the embeddable widget ({@code GET /widget.js}), plain files from
 * the app's resources: no build step, no external fonts or CDNs (the function may have no internet).
 * Read once; served with a content security policy that keeps the page to its own origin.
 */
@ApplicationScoped
public class WebRoutes {
    private static final String PAGE_POLICY = "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
            + "style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";
    private final Buffer page = resource("/web/index.html");
    private final Buffer widget = resource("/web/widget.js");

    void register(@Observes Router router) {
        router.get("/").handler(ctx -> page(ctx));
        router.get("/index.html").handler(ctx -> page(ctx));
        router.get("/widget.js").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/javascript; charset=utf-8")
                .putHeader("Cache-Control", "public, max-age=300")
                .putHeader("X-Content-Type-Options", "nosniff")
                .end(widget));
    }

    private void page(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("Content-Security-Policy", PAGE_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .end(page);
    }

    private static Buffer resource(String name) {
        try (InputStream in = WebRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the app's resources");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
