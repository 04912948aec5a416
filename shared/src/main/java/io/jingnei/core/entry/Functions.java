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
import java.util.Map;
import java.util.stream.Collectors;

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

    public static final FunctionSpec<ChatRequest> CHAT = FunctionSpec.replying(CHAT_NAME, Access.PUBLIC,
            ChatRequest.class, ChatRequests::parse, FunctionCalls::chat).onHttpTriggers();
    public static final FunctionSpec<ChatRequest> CHAT_STREAM = FunctionSpec.streaming("chat-stream", Access.PUBLIC,
            ChatRequest.class, ChatRequests::parse, FunctionCalls::chatStream);
    public static final FunctionSpec<RagRequest> RAG_QUERY = FunctionSpec.replying(RAG_QUERY_NAME, Access.PUBLIC,
            RagRequest.class, body -> RequestBodies.read(body, RagRequest.class), FunctionCalls::ragQuery).onHttpTriggers();
    public static final FunctionSpec<RagRequest> RAG_STREAM = FunctionSpec.streaming("rag-stream", Access.PUBLIC,
            RagRequest.class, body -> RequestBodies.read(body, RagRequest.class), FunctionCalls::ragStream);
    // index-build and faq-batch run as jobs: a caller that leaves does not stop them, so they take no trace.
    /** Over HTTP for an admin; from the platforms' object and timer events (its own function, IndexBuildTrigger's rule) without a key. */
    public static final FunctionSpec<IndexBuildRequest> INDEX_BUILD = FunctionSpec.replying(INDEX_BUILD_NAME, Access.ADMIN,
            IndexBuildRequest.class, body -> RequestBodies.read(body, IndexBuildRequest.class),
            (calls, caller, body, requestId, trace) -> calls.indexBuild(caller, body, requestId))
            .onEvents(IndexBuildEvents::onObject, IndexBuildEvents::onPayload);
    /** Over HTTP for an admin; from the platforms' object-created and timer events without a key, within the storage allow-list. */
    public static final FunctionSpec<FaqBatchRequest> FAQ_BATCH = FunctionSpec.replying(FAQ_BATCH_NAME, Access.ADMIN,
            FaqBatchRequest.class, body -> RequestBodies.read(body, FaqBatchRequest.class),
            (calls, caller, body, requestId, trace) -> calls.faqBatch(caller, body, requestId))
            .onEvents(FaqBatchEvents::onObject, FaqBatchEvents::onPayload);

    public static final List<FunctionSpec<?>> ALL = List.of(CHAT, CHAT_STREAM, RAG_QUERY, RAG_STREAM, INDEX_BUILD, FAQ_BATCH);

    /** {@code /v1/models/{id}}, the one path with a parameter. */
    public static final String MODEL_PREFIX = "/v1/models/";

    /** Every path the web function answers; anything else is a JSON 404. */
    public static final List<Route> ROUTES = routes();
    private static final Map<String, Route> EXACT = ROUTES.stream()
            .filter(route -> !route.path.startsWith(MODEL_PREFIX))
            .collect(Collectors.toUnmodifiableMap(route -> route.path, route -> route));
    private static final Route MODEL = route(MODEL_PREFIX + "{id}");

    private Functions() {
    }

    private static List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        ALL.forEach(function -> routes.add(Route.of(function)));
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

    private static Route route(String path) {
        return ROUTES.stream().filter(route -> route.path.equals(path)).findFirst().orElseThrow();
    }

    /** The web function's route for a path, or null. */
    public static Route at(String path) {
        Route exact = EXACT.get(path);
        if (exact != null) {
            return exact;
        }
        if (path.startsWith(MODEL_PREFIX) && path.length() > MODEL_PREFIX.length()) {
            return MODEL;
        }
        return null;
    }

    /** Errors on the OpenAI surface use the OpenAI shape, so SDKs raise the matching exception. */
    public static boolean openAi(String path) {
        return path.startsWith("/v1/") || path.equals("/v1");
    }

    /** The functions the built-in runtimes' HTTP triggers deliver to, in the table's order. */
    public static List<FunctionSpec<?>> onHttpTriggers() {
        return ALL.stream().filter(function -> function.triggers.contains(Trigger.HTTP)).collect(Collectors.toList());
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
