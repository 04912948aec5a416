package io.jingnei.functions;

import io.jingnei.core.functions.Reply;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import java.util.function.Supplier;

/**
 * Runs a blocking core call (embedding, index builds, batches) on a worker thread and hands its
 * {@link Reply} to Funqy: the body on success, a {@link FailedResult} with its status otherwise.
 */
final class WorkerReplies {
    private WorkerReplies() {
    }

    static Uni<Object> of(Supplier<Reply> call) {
        return Uni.createFrom().item(call)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .map(reply -> {
                    if (reply.status != 200) {
                        throw new FailedResult(reply.status, reply.body);
                    }
                    return reply.body;
                });
    }
}
