package io.jingnei.functions;

import io.jingnei.core.functions.FunctionCalls;
import io.jingnei.core.rag.RagRequest;
import io.quarkus.funqy.Funq;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/** {@code POST /rag-query}: the question is embedded in-process, so it runs on a worker thread. */
public class RagFunction {
    @Inject
    FunctionCalls calls;
    @Inject
    CurrentVertxRequest request;

    @Funq("rag-query")
    public Uni<Object> ragQuery(RagRequest input) {
        String requestId = RequestContexts.of(request.getCurrent(), "rag-query", null).requestId;
        return WorkerReplies.of(() -> calls.ragQuery(input, requestId));
    }
}
