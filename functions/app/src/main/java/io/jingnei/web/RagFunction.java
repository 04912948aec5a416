package io.jingnei.web;

import io.jingnei.core.entry.FunctionCalls;
import io.jingnei.core.rag.RagRequest;
import io.quarkus.funqy.Funq;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/** {@code POST /rag-query}: the question is embedded on the core's CPU workers; the LLM wait holds no thread. */
public class RagFunction {
    @Inject
    FunctionCalls calls;
    @Inject
    CurrentVertxRequest request;

    @Funq("rag-query")
    public Uni<Object> ragQuery(RagRequest input) {
        var ctx = request.getCurrent();
        return FunqyReplies.of(() -> calls.ragQuery(AccessGate.caller(ctx), input, AccessGate.requestId(ctx)));
    }
}
