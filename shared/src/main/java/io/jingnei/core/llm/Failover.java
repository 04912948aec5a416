package io.jingnei.core.llm;

import io.jingnei.core.call.CallTrace;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.util.TimeSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.DoubleSupplier;

/**
 * One logical call across upstreams, keys and fallback models: the loop that carries out
 * {@link FailurePolicy}'s decisions. It picks the next candidate (a usable key, a closed breaker or
 * the probe, the retry budget), starts the attempt, and when an attempt fails or no candidate is
 * left it asks the policy what to do and does it. The whole call keeps to the deadline. Attempts
 * are recorded in the {@link CallTrace}.
 *
 * <p>Retries multiply with the caller's own, so they are bounded three ways: a retry of the same
 * upstream needs its {@link RetryBudget} (shared by all calls); a caller that says it is retrying
 * gets no retry of the same upstream (other keys and upstreams still); and no wait in a request
 * is longer than {@code maxRetryWait} (the policy's rule).
 */
final class Failover {
    /** Starts one attempt; completes when the answer (or a stream's first chunk) is in. */
    interface Attempt<T> {
        CompletableFuture<T> start(Upstream upstream, UpstreamKey key, String model, String upstreamModel, Duration timeout);
    }

    private final List<Upstream> upstreams;
    private final Fallbacks fallbacks;
    private final FailurePolicy policy;
    private final TimeSource time;
    private final Duration deadline;
    private final Duration keyCooldown;
    private final UpstreamOrder order;
    private final CallLog log;
    private final Map<Upstream, RetryBudget> budgets = new java.util.IdentityHashMap<>();

    Failover(List<Upstream> upstreams, Fallbacks fallbacks, FailurePolicy policy, TimeSource time, Duration deadline,
             Duration keyCooldown, DoubleSupplier random, CallLog log, java.util.function.Supplier<RetryBudget> budget) {
        this.upstreams = upstreams;
        this.fallbacks = fallbacks;
        this.policy = policy;
        this.time = time;
        this.deadline = deadline;
        this.keyCooldown = keyCooldown;
        this.order = new UpstreamOrder(random);
        this.log = log;
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

    <T> CompletableFuture<T> run(String model, CallTrace trace, Attempt<T> attempt) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Call<T> call = new Call<>(model, trace, attempt, result);
        trace.onCancel(call::callerGone);
        call.next();
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
        private final TriedUpstreams tried;
        private int chainIndex;
        private List<Upstream> candidates;
        private Throwable lastFailure;
        /** Nothing usable is left: open circuits and rejected keys get one more try rather than none. */
        private boolean lastResort;
        /** The earliest moment a resting (429) key may be used again. */
        private long waitable = Long.MAX_VALUE;
        /** The earliest moment a skipped open breaker lets a probe through; null when none was skipped. */
        private Duration untilProbe;
        private volatile CompletableFuture<T> current;

        Call(String model, CallTrace trace, Attempt<T> attempt, CompletableFuture<T> result) {
            this.chain = fallbacks.chainOf(model);
            this.trace = trace;
            this.attempt = attempt;
            this.result = result;
            this.deadlineNanos = time.nanoTime() + deadline.toNanos();
            this.candidates = order.of(upstreams, chain.get(0));
            this.tried = new TriedUpstreams(trace.callerRetrying());
            result.whenComplete((v, e) -> {
                CompletableFuture<T> running = current;
                if (running != null && result.isCancelled()) {
                    running.cancel(true);
                }
            });
        }

        /** Starts the next candidate; when none is left, the round is over and the policy decides. */
        void next() {
            if (result.isDone()) {
                return;
            }
            String model = chain.get(chainIndex);
            long now = time.nanoTime();
            for (Upstream u : candidates) {
                if (!tried.mayTry(u)) {
                    continue;
                }
                if (!u.hasKeys()) {
                    lastFailure = new UpstreamException(ErrorKind.AUTH_ERROR,
                            "JINGNEI_LLM_API_KEY is not set (HOLYSHEEP_API_KEY is also accepted)", false, null, 0, null);
                    tried.drop(u);
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
                    Duration until = u.breaker.untilProbe();
                    untilProbe = untilProbe == null || until.compareTo(untilProbe) < 0 ? until : untilProbe;
                    continue;
                }
                if (tried.attempts(u) > 0 && !budgets.get(u).tryRetry()) {
                    // Spent by the calls before: this upstream is failing for everyone, more retries only add load.
                    u.breaker.release();
                    tried.drop(u);
                    continue;
                }
                start(u, key, model);
                return;
            }
            roundOver(policy.decide(roundOutcome()));
        }

        private UpstreamOutcome roundOutcome() {
            long now = time.nanoTime();
            return UpstreamOutcome.roundOver(chain.get(chainIndex), lastFailure, tried.rounds(), tried.retriesLeft(candidates),
                    chainIndex + 1 < chain.size(), Duration.ofNanos(deadlineNanos - now),
                    waitable == Long.MAX_VALUE ? null : Duration.ofNanos(waitable - now), untilProbe, anySetAsideKey(), lastResort);
        }

        private void roundOver(Decision decision) {
            switch (decision.step) {
                case RETRY_SAME:
                    tried.nextRound();
                    time.delay(decision.wait).thenRun(this::next);
                    return;
                case WAIT:
                    waitable = Long.MAX_VALUE;
                    time.delay(decision.wait).thenRun(this::next);
                    return;
                case NEXT_MODEL:
                    chainIndex++;
                    candidates = order.of(upstreams, chain.get(chainIndex));
                    tried.nextModel();
                    next();
                    return;
                case TRY_SET_ASIDE_KEYS:
                    lastResort = true;
                    tried.sameRoundAgain();
                    next();
                    return;
                default:
                    result.completeExceptionally(decision.error);
            }
        }

        private boolean anySetAsideKey() {
            for (Upstream u : candidates) {
                if (u.hasKeys() && u.rejectedKey() != null) {
                    return true;
                }
            }
            return false;
        }

        private void start(Upstream u, UpstreamKey key, String model) {
            if (tried.started(u)) {
                budgets.get(u).request();
            }
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

        /**
         * The caller went away (from another thread than the attempts'): the attempt in flight is
         * recorded as cancelled (the upstream had the request and may bill it), the result is
         * cancelled, and that aborts the exchange (see the constructor). Nothing starts after it.
         */
        void callerGone() {
            if (result.isDone()) {
                return;
            }
            trace.endUnderWayAs("cancelled");
            result.cancel(false);
        }

        /** Carries out the policy's decision on one failed attempt: the key, the breaker, then the next step. */
        private void failed(Upstream u, UpstreamKey key, String model, Throwable error, long ms) {
            if (error instanceof CancellationException || result.isDone()) {
                u.breaker.release();
                return;
            }
            int status = UpstreamException.statusOf(error);
            trace.record(u.name, model, status != 0 ? String.valueOf(status) : JingneiException.from(error).kind().status, ms);
            lastFailure = error;
            long now = time.nanoTime();
            Decision decision = policy.decide(UpstreamOutcome.attemptFailed(model, error, u.hasOtherUsableKey(key, now)));
            if (!decision.breakerFailure) {
                u.breaker.release();
            } else if (u.breaker.failure()) {
                warn("upstream circuit opened", u, "error", JingneiException.from(error).getMessage());
            }
            if (decision.key == Decision.Key.SET_ASIDE) {
                tried.notARetry(u);
                if (key.reject(now, keyCooldown.toNanos())) {
                    warn("upstream key rejected; set aside", u, "key_number", key.number, "upstream_status", status,
                            "retry_in_s", keyCooldown.getSeconds());
                }
            } else if (decision.key == Decision.Key.REST) {
                key.rest(now, decision.keyRest.toNanos());
            }
            if (decision.step == Decision.Step.GIVE_UP) {
                result.completeExceptionally(decision.error);
                return;
            }
            if (decision.dropUpstream) {
                tried.drop(u);
            } else if (decision.step == Decision.Step.NEXT_KEY) {
                tried.again(u);
            }
            next();
        }
    }

    /** One WARN line about an upstream; {@code more} alternates field names and values. */
    private void warn(String message, Upstream u, Object... more) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("level_hint", "WARN");
        fields.put("upstream", u.name);
        for (int i = 0; i < more.length; i += 2) {
            fields.put((String) more[i], more[i + 1]);
        }
        log.event(message, fields);
    }
}
