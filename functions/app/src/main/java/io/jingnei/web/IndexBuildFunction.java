package io.jingnei.web;

import io.jingnei.core.entry.FunctionCalls;
import io.jingnei.core.rag.IndexBuildRequest;
import io.quarkus.funqy.Funq;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/** {@code POST /index-build} (admin key): runs on the core's job threads; embedding a knowledge base is CPU work. */
public class IndexBuildFunction {
    @Inject
    FunctionCalls calls;
    @Inject
    CurrentVertxRequest request;

    @Funq("index-build")
    public Uni<Object> indexBuild(IndexBuildRequest input) {
        var ctx = request.getCurrent();
        return FunqyReplies.of(() -> calls.indexBuild(AccessGate.caller(ctx), input, AccessGate.requestId(ctx)));
    }
}
