package io.jingnei.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.call.CallTrace;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.stream.QueueSubscription;
import io.jingnei.core.stream.SseParser;
import io.jingnei.core.util.TimeSource;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One streaming attempt. Until the first chunk is emitted, a failure fails {@link #firstEvent()}
 * so the retry loop may try again; after it, failures end the subscriber's stream. Runs on the
 * HTTP client's I/O thread, and a watchdog's: the first chunk must come within the attempt's
 * timeout (the upstream's own, cut to what is left of the call deadline), and after it no gap
 * between bytes may last longer than the idle timeout. One socket timeout cannot say both, so the
 * socket's is only a backstop at the longer of the two and the watchdog enforces each; its
 * decisions and the I/O thread's are made under this object's lock, so a chunk is never relayed
 * from an attempt already given up.
 */
final class StreamResponseConsumer extends AbstractBinResponseConsumer<Void> {
    private static final int MAX_ERROR_BODY = 64 * 1024;
    /**
     * Real time, never the instance's (a test's FakeTime): these limits are raced on the JDK's delay
     * thread against the socket timeouts they tighten, which virtual time cannot move.
     */
    private static final TimeSource REAL_TIME = TimeSource.system();

    private final UpstreamEndpoint endpoint;
    private final Upstream upstream;
    /**
     * Our name for the model this attempt asked: every chunk carries it instead of the upstream's
     * ({@code model_map}), so a fallback's chunks name the fallback, which is what is priced.
     */
    private final String model;
    private final CallTrace trace;
    private final QueueSubscription<ObjectNode> subscription;
    private final CompletableFuture<Void> firstEvent = new CompletableFuture<>();
    private final SseParser parser = new SseParser(this::onData);
    private HttpResponse errorResponse;
    private ByteArrayOutputStream errorBody;
    private final Duration firstChunkTimeout;
    private final Duration idleTimeout;
    private final long startNanos = REAL_TIME.nanoTime();
    private volatile long lastDataNanos = startNanos;
    private volatile Future<Void> request;
    private boolean emitted;
    private boolean finished;
    private volatile boolean abandoned;

    /** @param firstChunkTimeout how long the first chunk may take, from now */
    StreamResponseConsumer(UpstreamEndpoint endpoint, Upstream upstream, String model, CallTrace trace,
                           QueueSubscription<ObjectNode> subscription, Duration firstChunkTimeout) {
        this.endpoint = endpoint;
        this.upstream = upstream;
        this.model = model;
        this.trace = trace;
        this.subscription = subscription;
        this.firstChunkTimeout = firstChunkTimeout;
        this.idleTimeout = endpoint.streamIdleTimeout();
    }

    /** The socket timeout for this exchange: a backstop, never shorter than either of the watchdog's limits. */
    Duration socketTimeout() {
        return firstChunkTimeout.compareTo(idleTimeout) > 0 ? firstChunkTimeout : idleTimeout;
    }

    /** The exchange this consumer reads; starts the watchdog, which aborts it when a limit passes. */
    void watch(Future<Void> exchange) {
        request = exchange;
        checkIn(firstChunkTimeout.toNanos());
    }

    CompletableFuture<Void> firstEvent() {
        return firstEvent;
    }

    FutureCallback<Void> callback() {
        return new FutureCallback<Void>() {
            @Override
            public void completed(Void result) {
                finish();
            }

            @Override
            public void failed(Exception error) {
                fail(endpoint.transportError(upstream, error, socketTimeout()));
            }

            @Override
            public void cancelled() {
                synchronized (StreamResponseConsumer.this) {
                    finished = true;
                }
            }
        };
    }

    @Override
    protected void start(HttpResponse response, ContentType contentType) {
        if (response.getCode() != 200) {
            errorResponse = response;
            errorBody = new ByteArrayOutputStream();
            return;
        }
        trace.upstreamRequestId(UpstreamEndpoint.upstreamRequestId(response));
        if (contentType != null && !"text/event-stream".equalsIgnoreCase(contentType.getMimeType())) {
            // Some gateways ignore "stream": true; say so rather than end the stream with nothing.
            fail(new UpstreamException(ErrorKind.UPSTREAM_ERROR, "upstream " + upstream.name + " answered a streaming request with "
                    + contentType.getMimeType() + " instead of text/event-stream", false, null, 200, null));
        }
    }

    @Override
    protected int capacityIncrement() {
        return 64 * 1024;
    }

    /**
     * The subscriber went away. Cancelling the request future alone does not stop an exchange whose
     * response is already streaming: HttpClient keeps reading to the end and pools the connection,
     * while the upstream keeps generating tokens we pay for. Failing on the next chunk makes it
     * discard the connection, which is what stops the upstream.
     */
    void abandon() {
        abandoned = true;
    }

    @Override
    protected void data(ByteBuffer src, boolean endOfStream) throws IOException {
        lastDataNanos = REAL_TIME.nanoTime();
        if (abandoned) {
            throw new IOException("stream abandoned by its subscriber");
        }
        if (errorBody == null) {
            parser.feed(src);
            return;
        }
        int room = MAX_ERROR_BODY - errorBody.size();
        byte[] bytes = new byte[Math.min(room, src.remaining())];
        src.get(bytes);
        errorBody.write(bytes, 0, bytes.length);
    }

    /** Called once the whole response has arrived, before the callback's {@code completed}. */
    @Override
    protected Void buildResult() {
        if (errorBody != null) {
            fail(endpoint.httpError(upstream, errorResponse, errorBody.toByteArray()));
        } else {
            parser.end();
        }
        return null;
    }

    @Override
    public void releaseResources() {
    }

    /**
     * Real time, as the socket timeouts it tightens are. A check that comes early (the stream
     * moved meanwhile) looks again when the limit could next pass. The check is a few comparisons,
     * so it runs on the JDK's delay thread itself: handed to the default async pool it cost a new
     * thread per check where the JVM sees two cores or fewer (every FC/SCF instance), one for each
     * stream ever started, an idle timeout after it started.
     */
    private void checkIn(long nanos) {
        CompletableFuture.delayedExecutor(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos) + 1), TimeUnit.MILLISECONDS, Runnable::run)
                .execute(this::check);
    }

    private void check() {
        synchronized (this) {
            if (finished) {
                return;
            }
            long now = REAL_TIME.nanoTime();
            long left = emitted ? lastDataNanos + idleTimeout.toNanos() - now : startNanos + firstChunkTimeout.toNanos() - now;
            if (left > 0) {
                checkIn(left);
                return;
            }
            Duration limit = emitted ? idleTimeout : firstChunkTimeout;
            fail(endpoint.transportError(upstream, new SocketTimeoutException((emitted ? "no stream data" : "no first chunk")
                    + " within " + limit.toMillis() + " ms"), limit));
        }
        abandoned = true; // an exchange already streaming is stopped by its next bytes, a silent one by the cancel
        Future<Void> exchange = request;
        if (exchange != null) {
            exchange.cancel(true);
        }
    }

    private synchronized void onData(String data) {
        if (finished) {
            return;
        }
        if (data.equals("[DONE]")) {
            finish();
            return;
        }
        JsonNode chunk;
        try {
            chunk = UpstreamEndpoint.JSON.readTree(data);
        } catch (Exception e) {
            chunk = null;
        }
        if (chunk == null || !chunk.isObject()) {
            fail(new UpstreamException(ErrorKind.UPSTREAM_ERROR, "upstream " + upstream.name + " sent a malformed stream chunk", false, null, 200, null));
            return;
        }
        if (chunk.has("error") && !chunk.has("choices")) {
            // The upstream's text may quote our request, Authorization header included.
            fail(UpstreamErrors.fromStreamEvent(upstream.name, chunk, endpoint.redactor()));
            return;
        }
        ObjectNode relayed = (ObjectNode) chunk;
        relayed.put("model", model);
        if (!emitted) {
            emitted = true;
            checkIn(idleTimeout.toNanos());
        }
        subscription.emit(relayed);
        firstEvent.complete(null);
    }

    private synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        firstEvent.complete(null);
        subscription.complete();
    }

    private synchronized void fail(UpstreamException error) {
        if (finished) {
            return;
        }
        finished = true;
        if (emitted) {
            subscription.fail(error);
        } else {
            firstEvent.completeExceptionally(error);
        }
    }
}
