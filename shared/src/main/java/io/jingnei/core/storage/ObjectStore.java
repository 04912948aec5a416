package io.jingnei.core.storage;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads and writes whole objects by URI. Failures are {@link ObjectStoreException}s that name the
 * URI and the cause and never carry a credential. Implementations are thread-safe and shared per
 * instance.
 */
public interface ObjectStore {

    CompletableFuture<StoredObject> get(URI uri);

    /** {@code length} bytes from {@code offset}; fewer at the end of the object. */
    CompletableFuture<byte[]> getRange(URI uri, long offset, long length);

    /** The object's current ETag, to notice a newer version without reading it. */
    CompletableFuture<String> etag(URI uri);

    CompletableFuture<Void> put(URI uri, byte[] bytes, String contentType);

    /**
     * Writes the object only if none exists under the URI: completes with {@code true} when this call
     * created it, {@code false} when it was already there (someone else holds it). A claim, not a
     * write: the one way two instances agree on who goes first (OSS {@code x-oss-forbid-overwrite},
     * COS {@code x-cos-forbid-overwrite}, S3 {@code If-None-Match: *}, a hard link on a file system).
     */
    CompletableFuture<Boolean> putIfAbsent(URI uri, byte[] bytes, String contentType);

    /** Removes an object; removing one that is not there succeeds (old index versions). */
    CompletableFuture<Void> delete(URI uri);

    /** URIs of the objects under a prefix ("folder"), in key order. */
    CompletableFuture<List<URI>> list(URI prefix);

    /**
     * The object as a stream, for objects too large to hold twice (indexes): completes when the
     * object is found; read the stream on a worker thread, never on an I/O thread.
     */
    CompletableFuture<StoredStream> open(URI uri);
}
