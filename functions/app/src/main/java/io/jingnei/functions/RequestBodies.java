package io.jingnei.functions;

import io.vertx.ext.web.handler.BodyHandler;

/** Body reading for the plain Vert.x routes: bounded, so an oversized body is a 413, not memory pressure. */
final class RequestBodies {
    static final long MAX_BYTES = 1024 * 1024;

    private RequestBodies() {
    }

    static BodyHandler handler() {
        return BodyHandler.create(false).setBodyLimit(MAX_BYTES);
    }
}
