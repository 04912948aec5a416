package io.jingnei.web;

import io.vertx.core.http.HttpMethod;

import java.util.Map;
import java.util.Set;

/**
 * Every path the web function answers, with who may call it and how: the one list the access
 * gate, the method check and the error shapes read. Anything not here is a JSON 404.
 */
final class RouteTable {
    enum Access {
        /** Client key, end-user JWT, or anonymous where allowed. */
        PUBLIC,
        /** Admin key only. */
        ADMIN,
        /** FC's control paths: only when FC itself sends them (x-fc-control-path). */
        CONTROL,
        /** Static pages and health: no credentials. */
        OPEN
    }

    static final class Route {
        final Access access;
        final Set<HttpMethod> methods;

        Route(Access access, Set<HttpMethod> methods) {
            this.access = access;
            this.methods = methods;
        }

        boolean post() {
            return methods.contains(HttpMethod.POST);
        }
    }

    private static final Set<HttpMethod> POST = Set.of(HttpMethod.POST);
    private static final Set<HttpMethod> GET = Set.of(HttpMethod.GET, HttpMethod.HEAD);
    private static final Map<String, Route> EXACT = Map.ofEntries(
            Map.entry("/chat", new Route(Access.PUBLIC, POST)),
            Map.entry("/chat-stream", new Route(Access.PUBLIC, POST)),
            Map.entry("/rag-query", new Route(Access.PUBLIC, POST)),
            Map.entry("/rag-stream", new Route(Access.PUBLIC, POST)),
            Map.entry("/index-build", new Route(Access.ADMIN, POST)),
            Map.entry("/faq-batch", new Route(Access.ADMIN, POST)),
            Map.entry("/v1/chat/completions", new Route(Access.PUBLIC, POST)),
            Map.entry("/v1/responses", new Route(Access.PUBLIC, POST)),
            Map.entry("/v1/embeddings", new Route(Access.PUBLIC, POST)),
            Map.entry("/v1/models", new Route(Access.PUBLIC, GET)),
            Map.entry("/v1/usage", new Route(Access.PUBLIC, GET)),
            Map.entry("/initialize", new Route(Access.CONTROL, POST)),
            Map.entry("/invoke", new Route(Access.CONTROL, POST)),
            Map.entry("/pre-stop", new Route(Access.CONTROL, GET)),
            Map.entry("/health", new Route(Access.OPEN, GET)),
            Map.entry("/", new Route(Access.OPEN, GET)),
            Map.entry("/index.html", new Route(Access.OPEN, GET)),
            Map.entry("/widget.js", new Route(Access.OPEN, GET)));
    private static final Route MODEL = new Route(Access.PUBLIC, GET);

    private RouteTable() {
    }

    /** The route for a path, or null. {@code /v1/models/{id}} is the one pattern. */
    static Route of(String path) {
        Route exact = EXACT.get(path);
        if (exact != null) {
            return exact;
        }
        if (path.startsWith("/v1/models/") && path.length() > "/v1/models/".length()) {
            return MODEL;
        }
        return null;
    }

    /** Errors on the OpenAI surface use the OpenAI shape, so SDKs raise the matching exception. */
    static boolean openAi(String path) {
        return path.startsWith("/v1/") || path.equals("/v1");
    }
}
