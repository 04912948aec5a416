package io.jingnei.core.llm;

import io.jingnei.core.call.CallTrace;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.log.CallLog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.DoubleSupplier;

/**
 * One logical call across upstreams, keys and fallback models. A retryable failure before the
 * first byte moves on at once to the next key or upstream; only when every candidate was just
 * tried does it wait (backoff with jitter, or the upstream's Retry-After). A key answered 401/403
 * is set aside for the key cooldown; a key answered 429 rests for its Retry-After; 5xx, connect
 * errors, timeouts and resets count against the upstream's circuit breaker. When every upstream of
 * a model has failed, the next model of its fallback chain is tried. The whole call keeps to the
 * deadline. Attempts are recorded in the {@link CallTrace}.
 *
 * <p>Retries multiply with the caller's own, so they are bounded three ways: a retry of the same
 * upstream needs its {@link RetryBudget} (shared by all calls); a caller that says it is retrying
 * gets no retry of the same upstream (other keys and upstreams still); and no wait in a request
 * is longer than {@code maxRetryWait}: a longer Retry-After goes back to the caller instead. When
 * every upstream is behind an open breaker the answer is 503 at once, with when to come back.
 */
final class Failover {
    /** Starts one attempt; completes when the answer (or a stream's first chunk) is in. */
    interface Attempt<T> {
        CompletableFuture<T> start(Upstream upstream, UpstreamKey key, String model, String upstreamModel, Duration timeout);
    }

    private final List<Upstream> upstreams;
    private final Fallbacks fallbacks;
    private final RetryPolicy policy;
    private final TimeSource time;
    private final Duration deadline;
    private final Duration keyCooldown;
    private final DoubleSupplier random;
    private final CallLog log;
    private final Duration maxRetryWait;
    private final Map<Upstream, RetryBudget> budgets = new java.util.IdentityHashMap<>();

    Failover(List<Upstream> upstreams, Fallbacks fallbacks, RetryPolicy policy, TimeSource time, Duration deadline,
             Duration keyCooldown, DoubleSupplier random, CallLog log, Duration maxRetryWait,
             java.util.function.Supplier<RetryBudget> budget) {
        this.upstreams = upstreams;
        this.fallbacks = fallbacks;
        this.policy = policy;
        this.time = time;
        this.deadline = deadline;
        this.keyCooldown = keyCooldown;
        this.random = random;
        this.log = log;
        this.maxRetryWait = maxRetryWait;
        for (Upstream u : upstreams) {
            budgets.put(u, budget.get());
        }
    }

    List<Upstream> upstreams() {
        return upstreams;
    }

    Fallbacks fallbacks() {
        return fallbacks;
    }

    /**
     * Upstreams serving {@code model}: first one whose open period is over (its probe decides whether
     * it is back; if it fails, the call moves on at once), then healthy ones in a weighted random
     * order, then open circuits (skipped unless they become due).
     */
    List<Upstream> candidates(String model) {
        List<Upstream> probing = new ArrayList<>();
        List<Upstream> healthy = new ArrayList<>();
        List<Upstream> resting = new ArrayList<>();
        for (Upstream u : upstreams) {
            if (u.serves(model)) {
                (u.breaker.probeDue() ? probing : u.breaker.healthy() ? healthy : resting).add(u);
            }
        }
        probing.addAll(weightedOrder(healthy));
        probing.addAll(resting);
        return probing;
    }

    private List<Upstream> weightedOrder(List<Upstream> pool) {
        if (pool.size() < 2) {
            return new ArrayList<>(pool);
        }
        List<Upstream> left = new ArrayList<>(pool);
        List<Upstream> out = new ArrayList<>(pool.size());
        while (!left.isEmpty()) {
            int total = 0;
            for (Upstream u : left) {
                total += u.weight;
            }
            double pick = random.getAsDouble() * total;
            int chosen = left.size() - 1;
            for (int i = 0; i < left.size(); i++) {
                pick -= left.get(i).weight;
                if (pick < 0) {
                    chosen = i;
                    break;
                }
            }
            out.add(left.remove(chosen));
        }
        return out;
    }

    <T> CompletableFuture<T> run(String model, CallTrace trace, Attempt<T> attempt) {
        CompletableFuture<T> result = new CompletableFuture<>();
        new Call<>(model, trace, attempt, result).next();
        return result;
    }

    /**
     * The state of one logical call. Its methods run one after another (each from the previous
     * attempt's callback or the backoff timer), never at the same time, so plain fields suffice.
     */
    private final class Call<T> {
        private final List<String> chain;
        private final CallTrace trace;
        private final Attempt<T> attempt;
        private final CompletableFuture<T> result;
        private final long deadlineNanos;
        private int chainIndex;
        private List<Upstream> candidates;
        private final Map<Upstream, Integer> attemptsAt = new HashMap<>();
        private final Set<Upstream> triedThisRound = new HashSet<>();
        private final Set<Upstream> excluded = new HashSet<>();
        private int round;
        private Throwable lastFailure;
        /** Nothing usable is left: open circuits and rejected keys get one more try rather than none. */
        private boolean lastResort;
        private boolean skippedOpen;
        /** The earliest moment a resting (429) key may be used again. */
        private long waitable = Long.MAX_VALUE;
        /** The earliest moment an open breaker lets a probe through, for the caller's Retry-After. */
        private Duration untilProbe;
        private final boolean callerRetrying;
        private volatile CompletableFuture<T> current;

        Call(String model, CallTrace trace, Attempt<T> attempt, CompletableFuture<T> result) {
            this.chain = fallbacks.chainOf(model);
            this.trace = trace;
            this.attempt = attempt;
            this.result = result;
            this.deadlineNanos = time.nanoTime() + deadline.toNanos();
            this.candidates = candidates(chain.get(0));
            this.callerRetrying = trace.callerRetrying();
            result.whenComplete((v, e) -> {
                CompletableFuture<T> running = current;
                if (running != null && result.isCancelled()) {
                    running.cancel(true);
                }
            });
        }

        void next() {
            if (result.isDone()) {
                return;
            }
            String model = chain.get(chainIndex);
            long now = time.nanoTime();
            for (Upstream u : candidates) {
                int tries = attemptsAt.getOrDefault(u, 0);
                if (excluded.contains(u) || triedThisRound.contains(u) || tries > maxRetries(u)) {
                    continue;
                }
                if (!u.hasKeys()) {
                    lastFailure = new UpstreamException(ErrorKind.AUTH_ERROR,
                            "JINGNEI_LLM_API_KEY is not set (HOLYSHEEP_API_KEY is also accepted)", false, null, 0, null);
                    excluded.add(u);
                    continue;
                }
                UpstreamKey key = u.nextKey(now);
                if (key == null && lastResort) {
                    key = u.rejectedKey();
                }
                if (key == null) {
                    waitable = Math.min(waitable, u.earliestRestEnd(now));
                    continue;
                }
                if (!lastResort && !u.breaker.tryAcquire()) {
                    skippedOpen = true;
                    Duration until = u.breaker.untilProbe();
                    untilProbe = untilProbe == null || until.compareTo(untilProbe) < 0 ? until : untilProbe;
                    continue;
                }
                if (tries > 0 && !budgets.get(u).tryRetry()) {
                    // Spent by the calls before: this upstream is failing for everyone, more retries only add load.
                    u.breaker.release();
                    excluded.add(u);
                    continue;
                }
                start(u, key, model);
                return;
            }
            boolean canRetry = false;
            for (Upstream u : candidates) {
                if (!excluded.contains(u) && attemptsAt.getOrDefault(u, 0) <= maxRetries(u) && triedThisRound.contains(u)) {
                    canRetry = true;
                    break;
                }
            }
            if (canRetry && lastFailure != null && UpstreamException.isRetryable(lastFailure)) {
                round++;
                Duration wait = policy.delayBefore(round, lastFailure);
                boolean asked = ((UpstreamException) JingneiException.unwrap(lastFailure)).retryAfter().isPresent();
                if (!asked && wait.compareTo(maxRetryWait) > 0) {
                    wait = maxRetryWait;
                }
                // A longer Retry-After belongs to the caller: it is passed back rather than slept on here.
                if (wait.compareTo(maxRetryWait) <= 0 && wait.toNanos() < deadlineNanos - time.nanoTime()) {
                    triedThisRound.clear();
                    time.delay(wait).thenRun(this::next);
                    return;
                }
            }
            nextModel();
        }

        private void nextModel() {
            if (chainIndex + 1 < chain.size() && time.nanoTime() < deadlineNanos && !(lastFailure != null && requestProblem(lastFailure))) {
                chainIndex++;
                candidates = candidates(chain.get(chainIndex));
                attemptsAt.clear();
                triedThisRound.clear();
                excluded.clear();
                round = 0;
                next();
                return;
            }
            long now = time.nanoTime();
            if (lastFailure == null && waitable != Long.MAX_VALUE) {
                // Every key rests after a 429: wait for the first to be usable again if that is soon,
                // else tell the caller when to come back.
                long wait = Math.max(1, waitable - now);
                waitable = Long.MAX_VALUE;
                if (wait <= maxRetryWait.toNanos() && now + wait < deadlineNanos) {
                    time.delay(Duration.ofNanos(wait)).thenRun(this::next);
                } else {
                    result.completeExceptionally(new UpstreamException(ErrorKind.RATE_LIMITED, "every key of the upstreams for model '"
                            + chain.get(chainIndex) + "' is resting after the upstream's rate limit", false, Duration.ofNanos(wait), 429, null));
                }
                return;
            }
            if (lastFailure == null && skippedOpen) {
                Duration until = untilProbe == null || untilProbe.isZero() ? Duration.ofSeconds(1) : untilProbe;
                result.completeExceptionally(new UpstreamException(ErrorKind.UPSTREAM_UNAVAILABLE, "every upstream for model '"
                        + chain.get(chainIndex) + "' is failing and rests behind its circuit breaker; retry after "
                        + Math.max(1, (until.toMillis() + 999) / 1000) + " s", false, until, 0, null));
                return;
            }
            if (!lastResort && lastFailure == null && anyRejectedKey()) {
                // Rejected keys only steer calls to what can take them. When nothing else is left, one
                // more try beats failing untried: the key may have been renewed, and if not the caller
                // learns exactly why. (An open circuit answers 503 above: its probe decides recovery.)
                lastResort = true;
                triedThisRound.clear();
                next();
                return;
            }
            result.completeExceptionally(lastFailure != null ? withRetryAfter(lastFailure) : nothingToTry(chain.get(chainIndex)));
        }

        private int maxRetries(Upstream u) {
            return callerRetrying ? 0 : u.maxRetries;
        }

        /** An upstream rate limit always says when to come back, even when the upstream did not. */
        private Throwable withRetryAfter(Throwable failure) {
            Throwable t = JingneiException.unwrap(failure);
            if (t instanceof UpstreamException && ((UpstreamException) t).kind() == ErrorKind.RATE_LIMITED
                    && ((UpstreamException) t).retryAfter().isEmpty()) {
                return ((UpstreamException) t).withRetryAfter(policy.delayBefore(round + 1, t));
            }
            return failure;
        }

        private boolean anyRejectedKey() {
            for (Upstream u : candidates) {
                if (u.hasKeys() && u.rejectedKey() != null) {
                    return true;
                }
            }
            return false;
        }

        private void start(Upstream u, UpstreamKey key, String model) {
            if (attemptsAt.merge(u, 1, Integer::sum) == 1) {
                budgets.get(u).request();
            }
            triedThisRound.add(u);
            long left = Math.max(1, deadlineNanos - time.nanoTime());
            Duration timeout = u.timeout.toNanos() < left ? u.timeout : Duration.ofNanos(left);
            long startNanos = time.nanoTime();
            CompletableFuture<T> running;
            trace.started(u.name, model);
            try {
                running = attempt.start(u, key, model, u.upstreamModel(model), timeout);
            } catch (RuntimeException e) {
                u.breaker.release();
                result.completeExceptionally(e);
                return;
            }
            current = running;
            if (result.isCancelled()) {
                running.cancel(true);
            }
            running.whenComplete((value, error) -> {
                long ms = (time.nanoTime() - startNanos) / 1_000_000;
                if (error == null) {
                    u.breaker.success();
                    key.accepted();
                    trace.record(u.name, model, "200", ms);
                    result.complete(value);
                    return;
                }
                failed(u, key, model, JingneiException.unwrap(error), ms);
            });
        }

        private void failed(Upstream u, UpstreamKey key, String model, Throwable error, long ms) {
            if (error instanceof CancellationException || result.isDone()) {
                u.breaker.release();
                return;
            }
            int status = UpstreamException.statusOf(error);
            ErrorKind kind = JingneiException.from(error).kind();
            trace.record(u.name, model, status != 0 ? String.valueOf(status) : kind.status, ms);
            lastFailure = error;
            long now = time.nanoTime();
            if ((kind == ErrorKind.AUTH_ERROR || kind == ErrorKind.INSUFFICIENT_QUOTA) && status != 0) {
                u.breaker.release();
                attemptsAt.merge(u, -1, Integer::sum); // a rejected key is no retry of the upstream
                if (key.reject(now, keyCooldown.toNanos())) {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    fields.put("level_hint", "WARN");
                    fields.put("upstream", u.name);
                    fields.put("key_number", key.number);
                    fields.put("upstream_status", status);
                    fields.put("retry_in_s", keyCooldown.getSeconds());
                    log.event("upstream key rejected; set aside", fields);
                }
                if (!u.hasOtherUsableKey(key, now)) {
                    excluded.add(u);
                } else {
                    triedThisRound.remove(u);
                }
                next();
                return;
            }
            if (kind == ErrorKind.RATE_LIMITED && error instanceof UpstreamException) {
                u.breaker.release();
                ((UpstreamException) error).retryAfter().ifPresent(wait -> key.rest(now, wait.toNanos()));
                if (u.hasOtherUsableKey(key, now)) {
                    triedThisRound.remove(u); // another key of the same upstream may take it at once
                }
                next();
                return;
            }
            if (kind == ErrorKind.MODEL_NOT_FOUND) {
                u.breaker.release();
                excluded.add(u);
                next();
                return;
            }
            if (UpstreamException.isRetryable(error)) {
                if (u.breaker.failure()) {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    fields.put("level_hint", "WARN");
                    fields.put("upstream", u.name);
                    fields.put("error", JingneiException.from(error).getMessage());
                    log.event("upstream circuit opened", fields);
                }
                next();
                return;
            }
            u.breaker.release();
            result.completeExceptionally(error);
        }

        private UpstreamException nothingToTry(String model) {
            return new UpstreamException(ErrorKind.UPSTREAM_ERROR, "no upstream can take model '" + model
                    + "' right now (circuits open or keys resting)", false, null, 0, null);
        }
    }

    /** Failures another upstream or model would answer the same way: the request itself is wrong. */
    private static boolean requestProblem(Throwable failure) {
        ErrorKind kind = JingneiException.from(failure).kind();
        return kind == ErrorKind.INVALID_REQUEST || kind == ErrorKind.PAYLOAD_TOO_LARGE;
    }
}
