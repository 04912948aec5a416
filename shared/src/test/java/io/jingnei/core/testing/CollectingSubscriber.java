package io.jingnei.core.testing;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/** Requests everything and remembers items, arrival times and how the stream ended. */
public final class CollectingSubscriber<T> implements Flow.Subscriber<T> {
    public final List<T> items = new CopyOnWriteArrayList<>();
    public final List<Long> arrivalsNanos = new CopyOnWriteArrayList<>();
    public final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(T item) {
        items.add(item);
        arrivalsNanos.add(System.nanoTime());
    }

    @Override
    public void onError(Throwable error) {
        done.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        done.complete(null);
    }

    public void cancel() {
        subscription.cancel();
    }

    /** Waits for the end; returns the error, or null on completion. */
    public Throwable await() {
        try {
            done.get(10, TimeUnit.SECONDS);
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("stream did not end", e);
        }
    }
}
