package io.jingnei.web;

import io.jingnei.core.entry.Reply;
import io.smallrye.mutiny.Uni;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Hands a core call's {@link Reply} to Funqy: the body on success, a {@link FailedResult} with its
 * status otherwise. The core call returns a future, so no thread waits while it runs.
 */
final class FunqyReplies {
    private FunqyReplies() {
    }

    static Uni<Object> of(Supplier<CompletableFuture<Reply>> call) {
        return Uni.createFrom().completionStage(call).map(reply -> {
            if (reply.status != 200) {
                throw new FailedResult(reply);
            }
            return reply.body;
        });
    }
}
