package io.jingnei.core.stream;

import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Relays a publisher while an observer sees each item (and may replace or drop it) and learns
 * once how the stream ended: completed, failed, or cancelled by the subscriber.
 */
public final class ObservedPublisher<T> implements Flow.Publisher<T> {

    public interface Observer<T> {
        /** Returns the item to pass on, or null to drop it. Must not block. */
        T onItem(T item);

        /** Called exactly once; {@code error} is null on completion and on cancel. */
        void onEnd(Throwable error, boolean cancelled);
    }

    private final Flow.Publisher<T> source;
    private final Observer<T> observer;

    public ObservedPublisher(Flow.Publisher<T> source, Observer<T> observer) {
        this.source = source;
        this.observer = observer;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        source.subscribe(new Relay(subscriber));
    }

    private final class Relay implements Flow.Subscriber<T> {
        private final Flow.Subscriber<? super T> downstream;
        private final AtomicBoolean ended = new AtomicBoolean();
        private Flow.Subscription upstream;

        Relay(Flow.Subscriber<? super T> downstream) {
            this.downstream = downstream;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            upstream = subscription;
            downstream.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    subscription.request(n);
                }

                @Override
                public void cancel() {
                    end(null, true);
                    subscription.cancel();
                }
            });
        }

        @Override
        public void onNext(T item) {
            T passed = observer.onItem(item);
            if (passed == null) {
                upstream.request(1);
            } else {
                downstream.onNext(passed);
            }
        }

        @Override
        public void onError(Throwable error) {
            end(error, false);
            downstream.onError(error);
        }

        @Override
        public void onComplete() {
            end(null, false);
            downstream.onComplete();
        }

        private void end(Throwable error, boolean cancelled) {
            if (ended.compareAndSet(false, true)) {
                observer.onEnd(error, cancelled);
            }
        }
    }
}
