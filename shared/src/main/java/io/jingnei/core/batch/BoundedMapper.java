package io.jingnei.core.batch;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Applies an asynchronous function to items with at most {@code concurrency} in flight. Every
 * platform, the Quarkus app included, uses {@link ExecutorMapper}; the interface is the seam a test
 * uses to stop a batch midway (FaqBatchIT).
 */
public interface BoundedMapper {
    /** Results in any order. */
    <T, R> List<R> map(List<T> items, int concurrency, Function<T, CompletableFuture<R>> function);
}
