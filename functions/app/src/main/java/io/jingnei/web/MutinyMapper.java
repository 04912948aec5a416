package io.jingnei.web;

import io.jingnei.core.batch.BoundedMapper;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * faq-batch's bounded concurrency in the Quarkus app: a Mutiny merge. Each item starts on a worker
 * thread, since a question is embedded in the calling thread and I/O threads must not wait on it.
 * Blocks the calling (worker) thread until all items are done.
 */
final class MutinyMapper implements BoundedMapper {

    @Override
    public <T, R> List<R> map(List<T> items, int concurrency, Function<T, CompletableFuture<R>> function) {
        return Multi.createFrom().iterable(items)
                .onItem().transformToUni(item -> Uni.createFrom().completionStage(() -> function.apply(item))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .merge(concurrency)
                .collect().asList()
                .await().indefinitely();
    }
}
