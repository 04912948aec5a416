package io.jingnei.functions;

import io.jingnei.core.functions.FunctionCalls;
import io.jingnei.core.rag.IndexBuildRequest;
import io.quarkus.funqy.Funq;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/** {@code POST /index-build}: runs on a worker thread; embedding a knowledge base is CPU work. */
public class IndexBuildFunction {
    @Inject
    FunctionCalls calls;
    @Inject
    CurrentVertxRequest request;

    @Funq("index-build")
    public Uni<Object> indexBuild(IndexBuildRequest input) {
        String requestId = RequestContexts.of(request.getCurrent(), "index-build", null).requestId;
        return WorkerReplies.of(() -> calls.indexBuild(input, requestId));
    }
}
