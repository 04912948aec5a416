package io.jingnei.core.call;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What happened during one logical call, for the result and the log line: every attempt with the
 * upstream and model it went to, how it ended and how long it took. Written by the failover loop;
 * read when the call has ended.
 */
public final class CallTrace {
    private final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
    private volatile String upstreamRequestId;
    private volatile boolean callerRetrying;
    /** The attempt under way (sent, not yet answered), with when it started; null between attempts. */
    private volatile Attempt underWay;
    private volatile long underWayNanos;
    /** Completed when the caller went away: the explicit hook a running call listens to (see {@link #cancel}). */
    private final CompletableFuture<Void> cancelled = new CompletableFuture<>();

    /** One attempt: {@code status} is the upstream's HTTP status, or our error word when there was none. */
    public static final class Attempt {
        public final String upstream;
        public final String model;
        public final String status;
        public final long ms;

        Attempt(String upstream, String model, String status, long ms) {
            this.upstream = upstream;
            this.model = model;
            this.status = status;
            this.ms = ms;
        }
    }

    public int attempts() {
        return attempts.size();
    }

    public List<Attempt> list() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    /** Called by the failover loop in {@code llm} for each attempt as it ends. */
    public void record(String upstream, String model, String status, long ms) {
        attempts.add(new Attempt(upstream, model, status, ms));
        underWay = null;
    }

    /** An attempt starts: until it is recorded, a call that ends (its caller went away) can still say where it was. */
    public void started(String upstream, String model) {
        underWayNanos = System.nanoTime();
        underWay = new Attempt(upstream, model, "under_way", 0);
    }

    /** The caller went away during the attempt under way, if any: it is recorded with {@code status}. */
    public void endUnderWayAs(String status) {
        Attempt open = underWay;
        if (open != null) {
            record(open.upstream, open.model, status, (System.nanoTime() - underWayNanos) / 1_000_000);
        }
    }

    /** Whether an attempt has been sent and not answered yet: the upstream may be working on it. */
    public boolean attemptUnderWay() {
        return underWay != null;
    }

    /** Every attempt, the one under way last with {@code status} (a call cancelled before its answer began). */
    public List<Attempt> listEndingUnderWayAs(String status) {
        Attempt open = underWay;
        List<Attempt> all = new ArrayList<>(list());
        if (open != null) {
            all.add(new Attempt(open.upstream, open.model, status, (System.nanoTime() - underWayNanos) / 1_000_000));
        }
        return all;
    }

    /**
     * The caller says this request is its own retry (x-stainless-retry-count above 0, or an
     * x-request-id seen moments ago): we then retry less, as the caller's retries and ours multiply.
     */
    public void callerRetrying(boolean retrying) {
        this.callerRetrying = retrying;
    }

    public boolean callerRetrying() {
        return callerRetrying;
    }

    /**
     * The caller went away before its answer: the running upstream exchange is aborted and no other
     * is started (a no-op once the call has ended). An explicit hook, because cancelling a future
     * made by thenApply/thenCompose does not reach the future it was made from.
     */
    public void cancel() {
        cancelled.complete(null);
    }

    public boolean cancelled() {
        return cancelled.isDone();
    }

    /** Runs {@code action} once the caller went away (at once if it already has). */
    public void onCancel(Runnable action) {
        cancelled.thenRun(action);
    }

    /** The upstream's own x-request-id of the answering attempt, for support cases with the provider. */
    public String upstreamRequestId() {
        return upstreamRequestId;
    }

    public void upstreamRequestId(String id) {
        this.upstreamRequestId = id;
    }
}
