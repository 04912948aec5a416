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
import io.jingnei.core.util.TimeSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The instance's index: loaded once at init, then swapped whole when the object's ETag changes
 * (checked at most once per interval, in the background of a query). The object is parsed while it
 * streams in, on a worker thread (never the HTTP client's I/O threads, which carry live LLM
 * streams). The store retries what fails before the body starts (5xx, resets, timeouts); a body
 * that breaks off is tried again here, with backoff. While there is no index (a failed first load:
 * the object is missing, unreadable, or built with another model) its cause is what rag-query
 * answers, and the load is tried again when a query or a health check comes after the retry is due:
 * 1 s after the failure, doubling up to {@link #RETRY_MAX} (so an index that appears is served within
 * that, and a missing one costs one request per interval). A failed reload keeps serving the index
 * already loaded. Each load or reload that met a fault logs one line naming it, with the requests it
 * took and whether it was transient.
 */
public final class IndexHolder {
    static final int LOAD_ATTEMPTS = 3; // visible for tests
    static final Duration RETRY_FIRST = Duration.ofSeconds(1);
    static final Duration RETRY_MAX = Duration.ofSeconds(30);

    /** What the holder can serve: ready, loading (no index yet, a load under way) or failed (no index; why; retried later). */
    public enum Status { READY, LOADING, FAILED }

    /** The holder's state for a health report; {@code cause} is null when ready or loading. */
    public static final class State {
        public final Status status;
        public final String cause;

        State(Status status, String cause) {
            this.status = status;
            this.cause = cause;
        }
    }

    private final ObjectStore store;
    private final URI uri;
    private final URI faissMetadata;
    private final String embedderModel;
    private final Duration interval;
    private final TimeSource time;
    private final Executor worker;
    private final CallLog log;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile LoadedIndex current;
    private volatile RuntimeException failure;
    private volatile long checkedAtNanos;
    private volatile long retryAtNanos;
    private volatile int failedLoads;
    private volatile boolean loading = true;

    public IndexHolder(ObjectStore store, URI uri, URI faissMetadata, String embedderModel, Duration interval, TimeSource time,
                       Executor worker, CallLog log) {
        this.store = store;
        this.uri = uri;
        this.faissMetadata = faissMetadata;
        this.embedderModel = embedderModel;
        this.interval = interval;
        this.time = time;
        this.worker = worker;
        this.log = log;
    }

    public URI uri() {
        return uri;
    }

    /** Loads the index; completes normally even on failure, which is then kept for {@link #require()}. */
    public CompletableFuture<Void> load() {
        loading = true;
        checkedAtNanos = time.nanoTime();
        Tally tally = new Tally();
        return fetch(1, tally).handle((loaded, error) -> {
            if (error == null) {
                current = loaded;
                failure = null;
                if (failedLoads > 0) {
                    Map<String, Object> fields = loadedFields(loaded, tally);
                    fields.put("failed_loads_before", failedLoads);
                    log.event("index loaded after failed loads", fields);
                } else if (!tally.faults.isEmpty()) {
                    log.event("index loaded after transient faults", loadedFields(loaded, tally));
                }
                failedLoads = 0;
            } else {
                JingneiException why = JingneiException.from(error);
                failure = why;
                failedLoads++;
                long wait = Math.min(RETRY_MAX.toNanos(), RETRY_FIRST.toNanos() << Math.min(failedLoads - 1, 20));
                retryAtNanos = time.nanoTime() + wait;
                tally.nextTryInSeconds = Math.max(1, wait / 1_000_000_000L);
                event("index load failed", why, tally);
            }
            loading = false;
            return null;
        });
    }

    /** Ready, loading or failed with the cause; starts a due retry first (never blocks), as a query does. */
    public State state() {
        refreshIfDue();
        if (current != null) {
            return new State(Status.READY, null);
        }
        RuntimeException why = failure;
        return loading || why == null ? new State(Status.LOADING, null) : new State(Status.FAILED, why.getMessage());
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

    /**
     * Starts a background version check when the interval has passed, or, while there is no index,
     * a new load when its retry is due; never blocks. The future completes, always normally, when
     * the check (and any reload) is over.
     */
    public CompletableFuture<Void> refreshIfDue() {
        if (current == null) {
            if (loading || time.nanoTime() - retryAtNanos < 0 || !checking.compareAndSet(false, true)) {
                return CompletableFuture.completedFuture(null);
            }
            return load().whenComplete((ok, error) -> checking.set(false));
        }
        if (time.nanoTime() - checkedAtNanos < interval.toNanos() || !checking.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        checkedAtNanos = time.nanoTime();
        Tally tally = new Tally();
        return store.etag(uri).thenCompose(etag -> {
            LoadedIndex loaded = current;
            if (loaded != null && etag.equals(loaded.etag)) {
                return CompletableFuture.completedFuture(null);
            }
            return fetch(1, tally).thenAccept(fresh -> {
                current = fresh;
                failure = null;
                log.event("index reloaded", loadedFields(fresh, tally));
            });
        }).whenComplete((ok, error) -> {
            if (error != null) {
                JingneiException cause = JingneiException.from(error);
                if (current == null) {
                    failure = cause;
                    event("index load failed", cause, tally);
                } else {
                    event("index reload failed; still serving version " + current.etag, cause, tally);
                }
            }
            checking.set(false);
        }).handle((ok, error) -> null);
    }

    /** A failure line: the fault, its kind, whether it was transient, and the requests it took. */
    private void event(String message, JingneiException cause, Tally tally) {
        boolean transientFault = tally.gaveUpOnBrokenTransfers
                || (cause instanceof ObjectStoreException && ((ObjectStoreException) cause).retryable());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("level_hint", "WARN");
        fields.put("index", uri.toString());
        fields.put("error", cause.getMessage());
        fields.put("error_kind", cause.kind().status);
        fields.put("transient", transientFault);
        fields.put("retry", tally.nextTryInSeconds > 0 ? "loaded again in " + tally.nextTryInSeconds + " s (then backing off up to "
                + RETRY_MAX.toSeconds() + " s) until the index can be read"
                : transientFault ? "gave up after the retries allowed" : "none: the fault is not transient, a retry would meet it again");
        if (tally.requests.get() > 0) {
            fields.put("attempts", tally.requests.get());
        }
        if (!tally.faults.isEmpty()) {
            fields.put("faults", tally.faults);
        }
        log.event(message, fields);
    }

    private Map<String, Object> loadedFields(LoadedIndex loaded, Tally tally) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("index", uri.toString());
        fields.put("version", loaded.etag);
        fields.put("chunks", loaded.index.size());
        fields.put("attempts", tally.requests.get());
        if (!tally.faults.isEmpty()) {
            fields.put("faults", tally.faults);
        }
        return fields;
    }

    /** What one load tried, for its log line: requests for the object and the faults survived on the way. */
    private static final class Tally {
        final AtomicInteger requests = new AtomicInteger();
        final List<String> faults = new CopyOnWriteArrayList<>();
        volatile boolean gaveUpOnBrokenTransfers;
        volatile long nextTryInSeconds;

        void opened(StoredStream stream) {
            requests.addAndGet(stream.retried.size() + 1);
            faults.addAll(stream.retried);
        }
    }

    /**
     * One load. Store failures come here already retried by the store (retrying them again would
     * multiply its budget: 3 x 4 requests for one 503 outage); a body that broke off is tried again,
     * a corrupt or short index is not.
     */
    private CompletableFuture<LoadedIndex> fetch(int transfer, Tally tally) {
        CompletableFuture<LoadedIndex> once = fetchOnce(tally);
        return once.handle((loaded, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(loaded);
            }
            Throwable cause = JingneiException.unwrap(error);
            if (cause instanceof ObjectStoreException) {
                tally.requests.addAndGet(((ObjectStoreException) cause).attempts());
            }
            boolean broken = cause instanceof UncheckedIOException;
            if (!broken || transfer >= LOAD_ATTEMPTS) {
                tally.gaveUpOnBrokenTransfers = broken;
                return CompletableFuture.<LoadedIndex>failedFuture(broken
                        ? new IndexException("the transfer of " + uri + " broke off on all " + transfer + " tries; last: " + cause.getMessage(), cause)
                        : cause instanceof RuntimeException ? (RuntimeException) cause : new IllegalStateException(cause));
            }
            tally.faults.add(cause.getMessage());
            long wait = (500L << (transfer - 1)) / 2 + ThreadLocalRandom.current().nextLong(1 + (500L << (transfer - 1)) / 2);
            Executor later = CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS);
            return CompletableFuture.supplyAsync(() -> null, later).thenCompose(x -> fetch(transfer + 1, tally));
        }).thenCompose(f -> f);
    }

    private CompletableFuture<LoadedIndex> fetchOnce(Tally tally) {
        if (uri.getPath() != null && uri.getPath().endsWith(".faiss")) {
            return store.get(faissMetadata).thenCompose(metadata -> store.open(uri).thenApplyAsync(stream -> {
                tally.opened(stream);
                return checked(parse(stream, in -> IndexFormat.withLexical(FaissIndexReader.read(in, metadata.bytes, embedderModel))));
            }, worker));
        }
        // The object may be a pointer to the version being served (index-build's versions).
        return io.jingnei.core.index.IndexPointer.open(store, uri, worker).thenApplyAsync(stream -> {
            tally.opened(stream);
            return checked(parse(stream, in -> IndexFormat.load(in, BigramSplitter.INSTANCE)));
        }, worker);
    }

    private interface Parser {
        HybridIndex read(java.io.InputStream in) throws IOException;
    }

    private LoadedIndex parse(StoredStream stream, Parser parser) {
        try (StoredStream open = stream) {
            return new LoadedIndex(parser.read(open.in), open.etag);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private LoadedIndex checked(LoadedIndex loaded) {
        if (!loaded.index.vectors().modelId().equals(embedderModel)) {
            throw new IndexException("the index was built with embedding model '" + loaded.index.vectors().modelId()
                    + "' but this instance embeds with '" + embedderModel + "'; rebuild it or set JINGNEI_EMBEDDER/JINGNEI_EMBEDDING_MODEL to match");
        }
        return loaded;
    }
}
