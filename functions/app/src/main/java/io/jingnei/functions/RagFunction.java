package io.jingnei.functions;

import io.jingnei.core.JingneiInstance;
import io.jingnei.core.rag.RagRequest;
import io.jingnei.core.rag.RagResult;
import io.quarkus.funqy.Funq;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST /rag-query}. */
public class RagFunction {
    @Inject
    JingneiInstance jingnei;
    @Inject
    CurrentVertxRequest request;

    @Funq("rag-query")
    public Uni<RagResult> ragQuery(RagRequest input) {
        var ctx = RequestContexts.of(request.getCurrent(), "rag-query", null);
        return Uni.createFrom().completionStage(jingnei.rag())
                .onFailure().transform(bootFailure -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("status", "index_unavailable");
                    body.put("error", "RAG could not start: " + rootMessage(bootFailure));
                    body.put("request_id", ctx.requestId);
                    return new FailedResult(503, body);
                })
                .chain(rag -> Uni.createFrom().completionStage(rag.query(input, ctx)))
                .map(result -> {
                    if (!result.ok()) {
                        throw new FailedResult(result.httpStatus, result);
                    }
                    return result;
                });
    }

    static String rootMessage(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
