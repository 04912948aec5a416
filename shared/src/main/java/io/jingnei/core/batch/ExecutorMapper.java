package io.jingnei.core.batch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A fixed pool of workers, each taking the next item when its last one is done. */
public final class ExecutorMapper implements BoundedMapper {

    @Override
    public <T, R> List<R> map(List<T> items, int concurrency, Function<T, CompletableFuture<R>> function) {
        List<R> results = Collections.synchronizedList(new ArrayList<>(items.size()));
        AtomicInteger next = new AtomicInteger();
        int workers = Math.max(1, Math.min(concurrency, items.size()));
        ExecutorService pool = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "faq-batch-worker");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                running.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < items.size(); i = next.getAndIncrement()) {
                        results.add(function.apply(items.get(i)).join());
                    }
                }));
            }
            for (Future<?> worker : running) {
                worker.get();
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw io.jingnei.core.error.JingneiException.from(e);
        } catch (java.util.concurrent.ExecutionException e) {
            // A worker's failure keeps its kind and cause (a storage 403 stays access_denied).
            throw io.jingnei.core.error.JingneiException.from(e);
        } finally {
            pool.shutdownNow();
        }
    }
}
