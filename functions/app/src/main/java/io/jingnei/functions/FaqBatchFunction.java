package io.jingnei.functions;

import io.jingnei.core.batch.FaqBatchRequest;
import io.jingnei.core.functions.FunctionCalls;
import io.quarkus.funqy.Funq;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
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
        return WorkerReplies.of(() -> calls.faqBatch(input, requestId));
    }
}
