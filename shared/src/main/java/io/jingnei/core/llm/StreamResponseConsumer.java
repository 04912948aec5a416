package io.jingnei.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.stream.QueueSubscription;
import io.jingnei.core.stream.SseParser;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One streaming attempt. Until the first chunk is emitted, a failure fails {@link #firstEvent()}
 * so the retry loop may try again; after it, failures end the subscriber's stream. Runs on the
 * HTTP client's I/O thread.
 */
final class StreamResponseConsumer extends AbstractBinResponseConsumer<Void> {
    private static final int MAX_ERROR_BODY = 64 * 1024;

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
    private boolean emitted;
    private boolean finished;
    private volatile boolean abandoned;

    StreamResponseConsumer(UpstreamEndpoint endpoint, Upstream upstream, String model, CallTrace trace,
                           QueueSubscription<ObjectNode> subscription) {
        this.endpoint = endpoint;
        this.upstream = upstream;
        this.model = model;
        this.trace = trace;
        this.subscription = subscription;
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
                fail(endpoint.transportError(upstream, error, endpoint.streamIdleTimeout()));
            }

            @Override
            public void cancelled() {
                finished = true;
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

    private void onData(String data) {
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
        emitted = true;
        ObjectNode relayed = (ObjectNode) chunk;
        relayed.put("model", model);
        subscription.emit(relayed);
        firstEvent.complete(null);
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        firstEvent.complete(null);
        subscription.complete();
    }

    private void fail(UpstreamException error) {
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
