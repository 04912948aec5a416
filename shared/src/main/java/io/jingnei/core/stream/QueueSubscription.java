package io.jingnei.core.stream;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A subscription fed by a producer that cannot pause (network chunks): items wait in a queue until
 * the subscriber has demand. The queue is unbounded; an LLM answer is a few thousand small chunks
 * at most, so that is bounded in practice. Signals are delivered serially, from whichever thread
 * calls in, and never after cancel.
 */
public final class QueueSubscription<T> implements Flow.Subscription {
    private final Flow.Subscriber<? super T> subscriber;
    private final Runnable onCancel;
    private final Queue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile boolean done;
    private volatile Throwable error;
    private volatile boolean cancelled;
    private volatile boolean terminated;

    public QueueSubscription(Flow.Subscriber<? super T> subscriber, Runnable onCancel) {
        this.subscriber = subscriber;
        this.onCancel = onCancel;
    }

    public void emit(T item) {
        if (!done && !cancelled) {
            queue.add(item);
            drain();
        }
    }

    public void complete() {
        done = true;
        drain();
    }

    public void fail(Throwable failure) {
        if (!done) {
            error = failure;
            done = true;
        }
        drain();
    }

    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            fail(new IllegalArgumentException("non-positive request: " + n));
            return;
        }
        demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
        drain();
    }

    @Override
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            queue.clear();
            onCancel.run();
        }
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        do {
            while (!cancelled && demand.get() > 0 && !queue.isEmpty()) {
                demand.decrementAndGet();
                subscriber.onNext(queue.poll());
            }
            if (!cancelled && !terminated && done && queue.isEmpty()) {
                terminated = true;
                if (error != null) {
                    subscriber.onError(error);
                } else {
                    subscriber.onComplete();
                }
            }
        } while (wip.decrementAndGet() != 0);
    }
}
