package io.jingnei.web;

import io.jingnei.core.batch.FaqBatchRequest;
import io.jingnei.core.entry.FunctionCalls;
import io.quarkus.funqy.Funq;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/** {@code POST /faq-batch {input, output?}} (admin key): runs on the core's job threads with Mutiny's bounded concurrency. */
public class FaqBatchFunction {
    @Inject
    FunctionCalls calls;
    @Inject
    CurrentVertxRequest request;

    @Funq("faq-batch")
    public Uni<Object> faqBatch(FaqBatchRequest input) {
        var ctx = request.getCurrent();
        return FunqyReplies.of(() -> calls.faqBatch(AccessGate.caller(ctx), input, AccessGate.requestId(ctx)));
    }
}
