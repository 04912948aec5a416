package io.jingnei.functions;

import io.jingnei.core.batch.FaqBatchRequest;
import io.jingnei.core.functions.FunctionCalls;
import io.jingnei.core.functions.Reply;
import io.quarkus.funqy.Funq;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;

/** {@code POST /faq-batch {input, output?}}: runs on a worker thread with Mutiny's bounded concurrency. */
public class FaqBatchFunction {
    @Inject
    FunctionCalls calls;
    @Inject
    CurrentVertxRequest request;

    @Funq("faq-batch")
    public Uni<Object> faqBatch(FaqBatchRequest input) {
        String requestId = RequestContexts.of(request.getCurrent(), "faq-batch", null).requestId;
        return Uni.createFrom().item(() -> input == null
                        ? Reply.failure(400, "invalid_request", "field 'input' (the questions' object URI) is required", requestId)
                        : calls.faqBatch(input, requestId))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .map(reply -> {
                    if (reply.status != 200) {
                        throw new FailedResult(reply.status, reply.body);
                    }
                    return reply.body;
                });
    }
}
