package io.jingnei.core.storage;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/** Picks the store by URI scheme: {@code file} (or none) locally, {@code s3}, {@code oss}, {@code cos} remotely. */
public final class ObjectStores implements ObjectStore {
    private final ObjectStore file;
    private final ObjectStore s3;

    public ObjectStores(ObjectStore file, ObjectStore s3) {
        this.file = file;
        this.s3 = s3;
    }

    private ObjectStore of(URI uri) {
        try {
            return storeFor(uri);
        } catch (ObjectStoreException e) {
            return new Unsupported(e);
        }
    }

    private ObjectStore storeFor(URI uri) {
        String scheme = uri.getScheme() == null ? "file" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "file":
                return file;
            case "s3":
            case "oss":
            case "cos":
                return s3;
            default:
                throw new ObjectStoreException(ObjectStoreException.Reason.INVALID, uri,
                        "unsupported scheme '" + scheme + "'; use file://, s3://, oss:// or cos://");
        }
    }

    @Override
    public CompletableFuture<StoredObject> get(URI uri) {
        return of(uri).get(uri);
    }

    @Override
    public CompletableFuture<byte[]> getRange(URI uri, long offset, long length) {
        return of(uri).getRange(uri, offset, length);
    }

    @Override
    public CompletableFuture<String> etag(URI uri) {
        return of(uri).etag(uri);
    }

    @Override
    public CompletableFuture<Void> put(URI uri, byte[] bytes, String contentType) {
        return of(uri).put(uri, bytes, contentType);
    }

    @Override
    public CompletableFuture<Boolean> putIfAbsent(URI uri, byte[] bytes, String contentType) {
        return of(uri).putIfAbsent(uri, bytes, contentType);
    }

    @Override
    public CompletableFuture<Void> delete(URI uri) {
        return of(uri).delete(uri);
    }

    @Override
    public CompletableFuture<List<URI>> list(URI prefix) {
        return of(prefix).list(prefix);
    }

    @Override
    public CompletableFuture<StoredStream> open(URI uri) {
        return of(uri).open(uri);
    }

    /** Fails every call the same way, so a bad URI is a failed future like any other failure. */
    private static final class Unsupported implements ObjectStore {
        private final ObjectStoreException error;

        Unsupported(ObjectStoreException error) {
            this.error = error;
        }

        @Override
        public CompletableFuture<StoredObject> get(URI uri) {
            return CompletableFuture.failedFuture(error);
        }

        @Override
        public CompletableFuture<byte[]> getRange(URI uri, long offset, long length) {
            return CompletableFuture.failedFuture(error);
        }

        @Override
        public CompletableFuture<String> etag(URI uri) {
            return CompletableFuture.failedFuture(error);
        }

        @Override
        public CompletableFuture<Void> put(URI uri, byte[] bytes, String contentType) {
            return CompletableFuture.failedFuture(error);
        }

        @Override
        public CompletableFuture<Boolean> putIfAbsent(URI uri, byte[] bytes, String contentType) {
            return CompletableFuture.failedFuture(error);
        }

        @Override
        public CompletableFuture<Void> delete(URI uri) {
            return CompletableFuture.failedFuture(error);
        }

        @Override
        public CompletableFuture<List<URI>> list(URI prefix) {
            return CompletableFuture.failedFuture(error);
        }

        @Override
        public CompletableFuture<StoredStream> open(URI uri) {
            return CompletableFuture.failedFuture(error);
        }
    }
}
