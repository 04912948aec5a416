package io.jingnei.core.entry;

import io.jingnei.core.batch.FaqBatchRequest;
import io.jingnei.core.chat.ChatRequest;
import io.jingnei.core.chat.ChatRequests;
import io.jingnei.core.entry.FunctionSpec.Trigger;
import io.jingnei.core.rag.IndexBuildRequest;
import io.jingnei.core.rag.RagRequest;
import io.jingnei.core.request.RequestBodies;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

/**
 * The one table of functions and routes: each function's name and path, access, body type and core
 * call, and which built-in runtime triggers deliver to it, declared here once. The web function's
 * gate, Funqy functions, stream routes and error shapes, the FC handlers and the SCF handlers look
 * it up; each adapter's tests check that what it serves and this table agree. The names are
 * constants because Funqy's {@code @Funq} wants one.
 */
public final class Functions {
    public static final String CHAT_NAME = "chat";
    public static final String RAG_QUERY_NAME = "rag-query";
    public static final String INDEX_BUILD_NAME = "index-build";
    public static final String FAQ_BATCH_NAME = "faq-batch";

    // Each function is declared in a holder of its own: an FC or SCF instance runs one function, and
    // initialising its entry links only its own readers and calls. One class holding all six linked
    // 16 lambdas and loaded the other functions' request classes before the first answer (about 20 ms
    // of a chat handler's cold start, bench/RESULTS.md).

    public static final class Chat {
        public static final FunctionSpec<ChatRequest> SPEC = FunctionSpec.replying(CHAT_NAME, Access.PUBLIC,
                ChatRequest.class, ChatRequests::parse, FunctionCalls::chat).onHttpTriggers();
    }

    public static final class ChatStream {
        public static final FunctionSpec<ChatRequest> SPEC = FunctionSpec.streaming("chat-stream", Access.PUBLIC,
                ChatRequest.class, ChatRequests::parse, FunctionCalls::chatStream);
    }

    public static final class RagQuery {
        public static final FunctionSpec<RagRequest> SPEC = FunctionSpec.replying(RAG_QUERY_NAME, Access.PUBLIC,
                RagRequest.class, body -> RequestBodies.read(body, RagRequest.class), FunctionCalls::ragQuery).onHttpTriggers();
    }

    public static final class RagStream {
        public static final FunctionSpec<RagRequest> SPEC = FunctionSpec.streaming("rag-stream", Access.PUBLIC,
                RagRequest.class, body -> RequestBodies.read(body, RagRequest.class), FunctionCalls::ragStream);
    }

    // index-build and faq-batch run as jobs: a caller that leaves does not stop them, so they take no trace.

    /** Over HTTP for an admin; from the platforms' object and timer events (its own function, IndexBuildTrigger's rule) without a key. */
    public static final class IndexBuild {
        public static final FunctionSpec<IndexBuildRequest> SPEC = FunctionSpec.replying(INDEX_BUILD_NAME, Access.ADMIN,
                IndexBuildRequest.class, body -> RequestBodies.read(body, IndexBuildRequest.class),
                (calls, caller, body, requestId, trace) -> calls.indexBuild(caller, body, requestId))
                .onEvents(IndexBuildEvents::onObject, IndexBuildEvents::onPayload);
    }

    /** Over HTTP for an admin; from the platforms' object-created and timer events without a key, within the storage allow-list. */
    public static final class FaqBatch {
        public static final FunctionSpec<FaqBatchRequest> SPEC = FunctionSpec.replying(FAQ_BATCH_NAME, Access.ADMIN,
                FaqBatchRequest.class, body -> RequestBodies.read(body, FaqBatchRequest.class),
                (calls, caller, body, requestId, trace) -> calls.faqBatch(caller, body, requestId))
                .onEvents(FaqBatchEvents::onObject, FaqBatchEvents::onPayload);
    }

    /** Every function, in the table's order (the web function serves them all). */
    public static List<FunctionSpec<?>> all() {
        return Every.FUNCTION;
    }

    private static final class Every {
        static final List<FunctionSpec<?>> FUNCTION = List.of(Chat.SPEC, ChatStream.SPEC, RagQuery.SPEC, RagStream.SPEC, IndexBuild.SPEC,
                FaqBatch.SPEC);
    }

    /** {@code /v1/models/{id}}, the one path with a parameter. */
    public static final String MODEL_PREFIX = "/v1/models/";

    private Functions() {
    }

    /** Every path the web function answers; anything else is a JSON 404. */
    public static List<Route> routes() {
        return WebRoutes.ALL;
    }

    /** The web function's route for a path, or null. */
    public static Route at(String path) {
        Route exact = WebRoutes.EXACT.get(path);
        if (exact != null) {
            return exact;
        }
        if (path.startsWith(MODEL_PREFIX) && path.length() > MODEL_PREFIX.length()) {
            return WebRoutes.MODEL;
        }
        return null;
    }

    /**
     * The web function's routes, built on first use: the FC and SCF handlers read only their own
     * function's entry, and every class and lambda their instance loads before its first answer is
     * cold-start time (plain loops here for the same reason: a stream pipeline loads ~20 classes).
     */
    private static final class WebRoutes {
        static final List<Route> ALL = build();
        static final Map<String, Route> EXACT = new HashMap<>();
        static final Route MODEL;

        static {
            Route model = null;
            for (Route route : ALL) {
                if (route.path.startsWith(MODEL_PREFIX)) {
                    model = route;
                } else {
                    EXACT.put(route.path, route);
                }
            }
            MODEL = model;
        }

        private static List<Route> build() {
            List<Route> routes = new ArrayList<>();
            for (FunctionSpec<?> function : all()) {
                routes.add(Route.of(function));
            }
            // The OpenAI-compatible surface (OpenAiSurface, ResponsesSurface).
            routes.add(Route.post("/v1/chat/completions", Access.PUBLIC));
            routes.add(Route.post("/v1/responses", Access.PUBLIC));
            routes.add(Route.post("/v1/embeddings", Access.PUBLIC));
            routes.add(Route.get("/v1/models", Access.PUBLIC));
            routes.add(Route.get(MODEL_PREFIX + "{id}", Access.PUBLIC));
            routes.add(Route.get("/v1/usage", Access.PUBLIC));
            // FC's custom runtime: the initializer, event invocations, the stop notice.
            routes.add(Route.post("/initialize", Access.CONTROL));
            routes.add(Route.post("/invoke", Access.CONTROL));
            routes.add(Route.get("/pre-stop", Access.CONTROL));
            // Health, the chat page and its widget.
            routes.add(Route.get("/health", Access.OPEN));
            routes.add(Route.get("/", Access.OPEN));
            routes.add(Route.get("/index.html", Access.OPEN));
            routes.add(Route.get("/widget.js", Access.OPEN));
            return Collections.unmodifiableList(routes);
        }
    }

    /** Errors on the OpenAI surface use the OpenAI shape, so SDKs raise the matching exception. */
    public static boolean openAi(String path) {
        return path.startsWith("/v1/") || path.equals("/v1");
    }

    /** The functions the built-in runtimes' HTTP triggers deliver to, in the table's order. */
    public static List<FunctionSpec<?>> onHttpTriggers() {
        List<FunctionSpec<?>> delivered = new ArrayList<>();
        for (FunctionSpec<?> function : all()) {
            if (function.triggers.contains(Trigger.HTTP)) {
                delivered.add(function);
            }
        }
        return delivered;
    }

    /**
     * The function an HTTP trigger's path names by its last segment (API Gateway may put a stage or
     * a prefix before it), among those HTTP triggers deliver to; null if none.
     */
    public static FunctionSpec<?> onHttpTriggerAt(String path) {
        for (FunctionSpec<?> function : onHttpTriggers()) {
            if (path.endsWith(function.path)) {
                return function;
            }
        }
        return null;
    }
}
