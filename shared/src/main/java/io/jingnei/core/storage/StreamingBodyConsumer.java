package io.jingnei.core.storage;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A GET whose body is read as it arrives, through a {@link PipedBody}: {@code opened} completes
 * when a 2xx head is in, with the stream to read on a worker; an error status fails it with the
 * store's error code. Runs on the HTTP client's I/O thread and never blocks it.
 */
final class StreamingBodyConsumer implements AsyncResponseConsumer<Void> {
    private static final int MAX_ERROR_BODY = 16 * 1024;

    private final URI uri;
    private final CompletableFuture<StoredStream> opened;
    private final List<String> retried;
    private final PipedBody body = new PipedBody();
    private int errorStatus;
    private ByteArrayOutputStream errorBody;

    StreamingBodyConsumer(URI uri, CompletableFuture<StoredStream> opened, List<String> retried) {
        this.uri = uri;
        this.opened = opened;
        this.retried = retried;
    }

    void onAbort(Runnable abort) {
        body.onAbort(abort);
    }

    FutureCallback<Void> callback() {
        return new FutureCallback<Void>() {
            @Override
            public void completed(Void result) {
            }

            @Override
            public void failed(Exception error) {
                StreamingBodyConsumer.this.failed(error);
            }

            @Override
            public void cancelled() {
                body.fail(new IOException("transfer of " + uri + " was cancelled"));
            }
        };
    }

    @Override
    public void consumeResponse(HttpResponse response, EntityDetails entity, HttpContext context, FutureCallback<Void> done) {
        if (response.getCode() / 100 != 2) {
            errorStatus = response.getCode();
            errorBody = new ByteArrayOutputStream();
            if (entity == null) {
                finishError();
            }
            return;
        }
        Header etag = response.getFirstHeader("ETag");
        long length = entity == null ? 0 : entity.getContentLength();
        opened.complete(new StoredStream(body, etag == null ? "" : etag.getValue().replace("\"", ""), length, retried));
        if (entity == null) {
            body.end();
        }
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {
    }

    @Override
    public void updateCapacity(CapacityChannel channel) throws IOException {
        if (errorBody != null) {
            channel.update(Integer.MAX_VALUE);
            return;
        }
        body.channel(channel);
    }

    @Override
    public void consume(ByteBuffer src) {
        if (errorBody != null) {
            int room = MAX_ERROR_BODY - errorBody.size();
            byte[] bytes = new byte[Math.max(0, Math.min(room, src.remaining()))];
            src.get(bytes);
            errorBody.write(bytes, 0, bytes.length);
            src.position(src.limit());
            return;
        }
        body.write(src);
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
        if (errorBody != null) {
            finishError();
            return;
        }
        body.end();
    }

    @Override
    public void failed(Exception cause) {
        ObjectStoreException error = S3ObjectStore.transportError(uri, cause);
        if (!opened.completeExceptionally(error)) {
            body.fail(new IOException(brokenBody(cause), cause));
        }
    }

    /** After the head the store was reached: say what broke ("cannot reach" would send one looking at the network). */
    private static String brokenBody(Exception cause) {
        if (cause instanceof InterruptedIOException) {
            return "timed out: no bytes for longer than the read timeout (JINGNEI_S3_READ_TIMEOUT)";
        }
        String message = cause.getMessage() == null ? "" : ": " + cause.getMessage();
        return "the connection broke mid-body: " + cause.getClass().getSimpleName() + (message.length() > 200 ? message.substring(0, 200) + "…" : message);
    }

    @Override
    public void releaseResources() {
    }

    private void finishError() {
        opened.completeExceptionally(S3ObjectStore.httpError(uri, errorStatus,
                errorBody == null ? "" : new String(errorBody.toByteArray(), StandardCharsets.UTF_8)));
    }
}
