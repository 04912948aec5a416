package io.jingnei.functions;

import io.jingnei.core.JingneiInstance;
import io.jingnei.core.rag.IndexBuildRequest;
import io.jingnei.core.rag.IndexBuildService;
import io.jingnei.core.rag.RagConfig;
import io.quarkus.funqy.Funq;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;

/** {@code POST /index-build}: runs on a worker thread; embedding a knowledge base is CPU work. */
public class IndexBuildFunction {
    @Inject
    JingneiInstance jingnei;
    @Inject
    CurrentVertxRequest request;

    @Funq("index-build")
    public Uni<IndexBuildService.Outcome> indexBuild(IndexBuildRequest input) {
        var ctx = RequestContexts.of(request.getCurrent(), "index-build", null);
        IndexBuildService service = new IndexBuildService(jingnei.store(), RagConfig.from(InstanceProducer.configEnv()), jingnei.log());
        return Uni.createFrom().completionStage(jingnei.rag())
                .onFailure().transform(bootFailure -> new FailedResult(503, java.util.Map.of("status", "embedding_error",
                        "error", "the embedding model could not start: " + RagFunction.rootMessage(bootFailure))))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(rag -> service.build(input, rag, ctx))
                .map(outcome -> {
                    if (outcome.httpStatus != 200) {
                        throw new FailedResult(outcome.httpStatus, outcome);
                    }
                    return outcome;
                });
    }
}
