package io.jingnei.core.llm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.call.CallTrace;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.stream.QueueSubscription;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A one-shot publisher of upstream chunks: fails over and retries until the first chunk has
 * arrived, then relays; after the first chunk a failure ends the stream, since the caller has
 * already seen part of an answer. Each attempt waits for its first chunk as long as the upstream's
 * {@code timeout} and the call deadline allow, then no longer than the idle timeout between chunks.
 */
final class UpstreamStream implements Flow.Publisher<ObjectNode> {
    private final Failover failover;
    private final UpstreamEndpoint endpoint;
    private final Router.BodyBytes body;
    private final String model;
    private final CallTrace trace;
    private final AtomicBoolean subscribed = new AtomicBoolean();

    UpstreamStream(Failover failover, UpstreamEndpoint endpoint, Router.BodyBytes body, String model, CallTrace trace) {
        this.failover = failover;
        this.endpoint = endpoint;
        this.body = body;
        this.model = model;
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
            StreamResponseConsumer consumer = current.get();
            if (consumer != null) {
                consumer.abandon();
            }
            Future<Void> request = inFlight.get();
            if (request != null) {
                request.cancel(true);
            }
        });
        subscriber.onSubscribe(subscription);
        if (!subscribed.compareAndSet(false, true)) {
            subscription.fail(new IllegalStateException("an upstream stream can be subscribed to once"));
            return;
        }
        CompletableFuture<Void> open = failover.run(model, trace, (upstream, key, ourModel, upstreamModel, timeout) -> {
            StreamResponseConsumer consumer = new StreamResponseConsumer(endpoint, upstream, ourModel, trace, subscription, timeout);
            current.set(consumer);
            inFlight.set(endpoint.startStream(upstream, key, body.forModel(upstreamModel), consumer));
            if (subscription.isCancelled()) {
                inFlight.get().cancel(true);
            }
            return consumer.firstEvent();
        });
        opening.set(open);
        open.whenComplete((ignored, error) -> {
            if (error != null && !subscription.isCancelled()) {
                subscription.fail(JingneiException.from(error));
            }
        });
    }
}
