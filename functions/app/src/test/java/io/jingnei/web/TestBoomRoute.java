package io.jingnei.web;

import io.vertx.ext.web.Router;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A route that fails the way a bug would (test sources only), to see the app answer a JSON 500. It runs
 * before the access gate, which answers 404 for any path outside the app's route table.
 */
@ApplicationScoped
public class TestBoomRoute {
    static final String PATH = "/test-only/boom";

    /** Registered before the gate's observer, at the gate's own order: ties run in the order they were added. */
    void register(@Observes @Priority(1) Router router) {
        router.get(PATH).order(Integer.MIN_VALUE).handler(ctx -> {
            throw new IllegalStateException("a bug in a handler");
        });
    }
}
