package io.jingnei.core.rag;

import io.jingnei.core.error.JingneiException;
import io.jingnei.core.index.FaissIndexReader;
import io.jingnei.core.index.HybridIndex;
import io.jingnei.core.index.IndexException;
import io.jingnei.core.index.IndexFormat;
import io.jingnei.core.text.BigramSplitter;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.storage.ObjectStore;
import io.jingnei.core.storage.ObjectStoreException;
import io.jingnei.core.storage.StoredStream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The instance's index: loaded once at init, then swapped whole when the object's ETag changes
 * (checked at most once per interval, in the background of a query). The object is parsed while it
 * streams in, on a worker thread (never the HTTP client's I/O threads, which carry live LLM
 * streams); a transfer that breaks off is tried again with backoff. A failed first load is kept as
 * the reason rag-query gives; a failed reload keeps serving the index already loaded. Both are
 * logged once with their cause.
 */
public final class IndexHolder {
    private static final int LOAD_ATTEMPTS = 3;

    private final ObjectStore store;
    private final URI uri;
    private final URI faissMetadata;
    private final String embedderModel;
    private final Duration interval;
    private final LongSupplier nanoTime;
    private final Executor worker;
    private final CallLog log;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile LoadedIndex current;
    private volatile RuntimeException failure;
    private volatile long checkedAtNanos;

    public IndexHolder(ObjectStore store, URI uri, URI faissMetadata, String embedderModel, Duration interval, LongSupplier nanoTime,
                       Executor worker, CallLog log) {
        this.store = store;
        this.uri = uri;
        this.faissMetadata = faissMetadata;
        this.embedderModel = embedderModel;
        this.interval = interval;
        this.nanoTime = nanoTime;
        this.worker = worker;
        this.log = log;
    }

    public URI uri() {
        return uri;
    }

    /** Loads the index; completes normally even on failure, which is then kept for {@link #require()}. */
    public CompletableFuture<Void> load() {
        checkedAtNanos = nanoTime.getAsLong();
        return fetch(1).handle((loaded, error) -> {
            if (error == null) {
                current = loaded;
                failure = null;
            } else {
                failure = JingneiException.from(error);
                event("index load failed", failure);
            }
            return null;
        });
    }

    /** The index to query, or the reason there is none. */
    public HybridIndex require() {
        LoadedIndex loaded = current;
        if (loaded == null) {
            RuntimeException why = failure;
            throw new IndexUnavailableException(uri, why == null ? "still loading" : why.getMessage(), why);
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
            return fetch(1).thenAccept(fresh -> {
                current = fresh;
                failure = null;
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("index", uri.toString());
                fields.put("version", fresh.etag);
                fields.put("chunks", fresh.index.size());
                log.event("index reloaded", fields);
            });
        }).whenComplete((ok, error) -> {
            if (error != null) {
                JingneiException cause = JingneiException.from(error);
                if (current == null) {
                    failure = cause;
                    event("index load failed", cause);
                } else {
                    event("index reload failed; still serving version " + current.etag, cause);
                }
            }
            checking.set(false);
        });
    }

    private void event(String message, RuntimeException cause) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("level_hint", "WARN");
        fields.put("index", uri.toString());
        fields.put("error", cause.getMessage());
        log.event(message, fields);
    }

    /** One load; a broken transfer or a retryable store failure is tried again, a corrupt index is not. */
    private CompletableFuture<LoadedIndex> fetch(int attempt) {
        CompletableFuture<LoadedIndex> once = fetchOnce();
        return once.handle((loaded, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(loaded);
            }
            Throwable cause = JingneiException.unwrap(error);
            boolean transient_ = cause instanceof UncheckedIOException
                    || (cause instanceof ObjectStoreException && ((ObjectStoreException) cause).retryable());
            if (!transient_ || attempt >= LOAD_ATTEMPTS) {
                return CompletableFuture.<LoadedIndex>failedFuture(unwrapIo(cause));
            }
            long wait = (500L << (attempt - 1)) / 2 + ThreadLocalRandom.current().nextLong(1 + (500L << (attempt - 1)) / 2);
            Executor later = CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS);
            return CompletableFuture.supplyAsync(() -> null, later).thenCompose(x -> fetch(attempt + 1));
        }).thenCompose(f -> f);
    }

    private CompletableFuture<LoadedIndex> fetchOnce() {
        if (uri.getPath() != null && uri.getPath().endsWith(".faiss")) {
            return store.get(faissMetadata).thenCompose(metadata -> store.open(uri).thenApplyAsync(stream ->
                    checked(parse(stream, in -> IndexFormat.withLexical(FaissIndexReader.read(in, metadata.bytes, embedderModel)))), worker));
        }
        return store.open(uri).thenApplyAsync(stream -> checked(parse(stream, in -> IndexFormat.load(in, BigramSplitter.INSTANCE))), worker);
    }

    private interface Parser {
        HybridIndex read(java.io.InputStream in) throws IOException;
    }

    private LoadedIndex parse(StoredStream stream, Parser parser) {
        try (StoredStream open = stream) {
            return new LoadedIndex(parser.read(open.in), open.etag);
        } catch (IOException e) {
            throw new UncheckedIOException("the transfer of " + uri + " broke off: " + e.getMessage(), e);
        }
    }

    private static RuntimeException unwrapIo(Throwable cause) {
        if (cause instanceof UncheckedIOException) {
            return new IndexException(cause.getMessage());
        }
        return cause instanceof RuntimeException ? (RuntimeException) cause : new IllegalStateException(cause);
    }

    private LoadedIndex checked(LoadedIndex loaded) {
        if (!loaded.index.vectors().modelId().equals(embedderModel)) {
            throw new IndexException("the index was built with embedding model '" + loaded.index.vectors().modelId()
                    + "' but this instance embeds with '" + embedderModel + "'; rebuild it or set JINGNEI_EMBEDDER/JINGNEI_EMBEDDING_MODEL to match");
        }
        return loaded;
    }
}
