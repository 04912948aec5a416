package io.jingnei.core.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.stream.QueueSubscription;

import java.util.List;
import java.util.concurrent.Flow;

/**
 * A chat chunk stream seen as Responses API events: each chunk becomes the events
 * {@link ResponseEvents} makes of it, the end adds the closing events, a failure adds
 * {@code response.failed} and then fails the same way the chunk stream did, so the transport ends
 * the response as it ends a failed chat stream. Cancelling cancels the chunk stream (and so the
 * upstream call, which is then logged and charged as cancelled). Chunks are taken as they come (an
 * upstream cannot pause) and events wait in the subscriber's queue, as {@link QueueSubscription} says.
 */
public final class ResponseEventPublisher implements Flow.Publisher<ObjectNode> {
    private final Flow.Publisher<ObjectNode> chunks;
    private final ResponseEvents events;

    public ResponseEventPublisher(Flow.Publisher<ObjectNode> chunks, ResponseEvents events) {
        this.chunks = chunks;
        this.events = events;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ObjectNode> subscriber) {
        chunks.subscribe(new Relay(subscriber));
    }

    private final class Relay implements Flow.Subscriber<ObjectNode> {
        private final Flow.Subscriber<? super ObjectNode> downstream;
        private QueueSubscription<ObjectNode> queue;
        private Flow.Subscription upstream;
        private boolean ended;

        Relay(Flow.Subscriber<? super ObjectNode> downstream) {
            this.downstream = downstream;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            upstream = subscription;
            queue = new QueueSubscription<>(downstream, subscription::cancel);
            downstream.onSubscribe(queue);
            if (!queue.isCancelled()) {
                subscription.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(ObjectNode chunk) {
            if (ended) {
                return;
            }
            List<ObjectNode> translated;
            try {
                translated = events.onChunk(chunk);
            } catch (RuntimeException bug) {
                upstream.cancel();
                onError(bug);
                return;
            }
            translated.forEach(queue::emit);
        }

        @Override
        public void onError(Throwable error) {
            if (ended) {
                return;
            }
            ended = true;
            events.onFailure(JingneiException.from(error)).forEach(queue::emit);
            queue.fail(error);
        }

        @Override
        public void onComplete() {
            if (ended) {
                return;
            }
            ended = true;
            events.onEnd().forEach(queue::emit);
            queue.complete();
        }
    }
}
