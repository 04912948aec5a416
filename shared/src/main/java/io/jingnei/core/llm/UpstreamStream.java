package io.jingnei.core.llm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.stream.QueueSubscription;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** A one-shot publisher of upstream chunks: retries until the first chunk, then relays. */
final class UpstreamStream implements Flow.Publisher<ObjectNode> {
    private final OpenAiCompatibleClient client;
    private final byte[] body;
    private final CallTrace trace;
    private final AtomicBoolean subscribed = new AtomicBoolean();

    UpstreamStream(OpenAiCompatibleClient client, byte[] body, CallTrace trace) {
        this.client = client;
        this.body = body;
        this.trace = trace;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ObjectNode> subscriber) {
        AtomicReference<Future<Void>> inFlight = new AtomicReference<>();
        AtomicReference<CompletableFuture<Void>> opening = new AtomicReference<>();
        AtomicReference<StreamResponseConsumer> current = new AtomicReference<>();
        QueueSubscription<ObjectNode> subscription = new QueueSubscription<>(subscriber, () -> {
            CompletableFuture<Void> open = opening.get();
            if (open != null) {
                open.cancel(true);
            }
            Future<Void> request = inFlight.get();
            StreamResponseConsumer consumer = current.get();
            if (consumer != null) {
                consumer.abandon();
            }
            if (request != null) {
                request.cancel(true);
            }
        });
        subscriber.onSubscribe(subscription);
        if (!subscribed.compareAndSet(false, true)) {
            subscription.fail(new IllegalStateException("an upstream stream can be subscribed to once"));
            return;
        }
        CompletableFuture<Void> open = client.retrier().run(trace, left -> {
            StreamResponseConsumer consumer = new StreamResponseConsumer(client, subscription);
            current.set(consumer);
            inFlight.set(client.startStream(body, consumer));
            if (subscription.isCancelled()) {
                inFlight.get().cancel(true);
            }
            return consumer.firstEvent();
        });
        opening.set(open);
        open.whenComplete((ignored, error) -> {
            if (error != null && !subscription.isCancelled()) {
                subscription.fail(LlmException.from(error));
            }
        });
    }
}
