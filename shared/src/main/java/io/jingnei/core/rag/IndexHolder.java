package io.jingnei.core.rag;

import io.jingnei.core.index.FaissIndexReader;
import io.jingnei.core.index.IndexException;
import io.jingnei.core.index.IndexFormat;
import io.jingnei.core.index.VectorIndex;
import io.jingnei.core.storage.ObjectStore;
import io.jingnei.core.storage.StoredObject;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The instance's index: loaded once at init, then swapped whole when the object's ETag changes
 * (checked at most once per interval, in the background of a query). A failed load is kept as the
 * reason rag-query gives; a failed reload keeps serving the index already loaded.
 */
public final class IndexHolder {
    private final ObjectStore store;
    private final URI uri;
    private final URI faissMetadata;
    private final String embedderModel;
    private final Duration interval;
    private final LongSupplier nanoTime;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile LoadedIndex current;
    private volatile RuntimeException failure;
    private volatile long checkedAtNanos;

    public IndexHolder(ObjectStore store, URI uri, URI faissMetadata, String embedderModel, Duration interval, LongSupplier nanoTime) {
        this.store = store;
        this.uri = uri;
        this.faissMetadata = faissMetadata;
        this.embedderModel = embedderModel;
        this.interval = interval;
        this.nanoTime = nanoTime;
    }

    public URI uri() {
        return uri;
    }

    /** Loads the index; completes normally even on failure, which is then kept for {@link #require()}. */
    public CompletableFuture<Void> load() {
        checkedAtNanos = nanoTime.getAsLong();
        return fetch().handle((loaded, error) -> {
            if (error == null) {
                current = loaded;
                failure = null;
            } else {
                failure = unwrap(error);
            }
            return null;
        });
    }

    /** The index to query, or the reason there is none. */
    public VectorIndex require() {
        LoadedIndex loaded = current;
        if (loaded == null) {
            RuntimeException why = failure;
            throw new IndexUnavailableException(uri, why == null ? "still loading" : why.getMessage());
        }
        return loaded.index;
    }

    /** The ETag of the index being served, or "" before one is loaded. */
    public String version() {
        LoadedIndex loaded = current;
        return loaded == null ? "" : loaded.etag;
    }

    /** Starts a background version check when the interval has passed; never blocks. */
    public void refreshIfDue() {
        if (nanoTime.getAsLong() - checkedAtNanos < interval.toNanos() || !checking.compareAndSet(false, true)) {
            return;
        }
        checkedAtNanos = nanoTime.getAsLong();
        store.etag(uri).thenCompose(etag -> {
            LoadedIndex loaded = current;
            if (loaded != null && etag.equals(loaded.etag)) {
                return CompletableFuture.completedFuture(null);
            }
            return fetch().thenAccept(fresh -> {
                current = fresh;
                failure = null;
            });
        }).whenComplete((ok, error) -> {
            if (error != null && current == null) {
                failure = unwrap(error);
            }
            checking.set(false);
        });
    }

    private CompletableFuture<LoadedIndex> fetch() {
        CompletableFuture<StoredObject> index = store.get(uri);
        if (uri.getPath() != null && uri.getPath().endsWith(".faiss")) {
            return index.thenCombine(store.get(faissMetadata), (faiss, metadata) ->
                    checked(new LoadedIndex(FaissIndexReader.read(faiss.bytes, metadata.bytes, embedderModel), faiss.etag)));
        }
        return index.thenApply(object -> checked(new LoadedIndex(IndexFormat.read(object.bytes), object.etag)));
    }

    private LoadedIndex checked(LoadedIndex loaded) {
        if (!loaded.index.modelId().equals(embedderModel)) {
            throw new IndexException("the index was built with embedding model '" + loaded.index.modelId()
                    + "' but this instance embeds with '" + embedderModel + "'; rebuild it or set JINGNEI_EMBEDDER/JINGNEI_EMBEDDING_MODEL to match");
        }
        return loaded;
    }

    private static RuntimeException unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof RuntimeException ? (RuntimeException) cause : new IllegalStateException(cause.getMessage(), cause);
    }
}
