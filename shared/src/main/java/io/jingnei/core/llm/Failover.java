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
    private final DoubleSupplier random;
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
        this.random = random;
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
        private final boolean callerRetrying;
        private int chainIndex;
        private List<Upstream> candidates;
        private final Map<Upstream, Integer> attemptsAt = new HashMap<>();
        private final Set<Upstream> triedThisRound = new HashSet<>();
        private final Set<Upstream> excluded = new HashSet<>();
        private int round;
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
            this.candidates = candidates(chain.get(0));
            this.callerRetrying = trace.callerRetrying();
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
            roundOver(policy.decide(roundOutcome()));
        }

        private UpstreamOutcome roundOutcome() {
            long now = time.nanoTime();
            return UpstreamOutcome.roundOver(chain.get(chainIndex), lastFailure, round, retriesLeft(), chainIndex + 1 < chain.size(),
                    Duration.ofNanos(deadlineNanos - now), waitable == Long.MAX_VALUE ? null : Duration.ofNanos(waitable - now),
                    untilProbe, anySetAsideKey(), lastResort);
        }

        private void roundOver(Decision decision) {
            switch (decision.step) {
                case RETRY_SAME:
                    round++;
                    triedThisRound.clear();
                    time.delay(decision.wait).thenRun(this::next);
                    return;
                case WAIT:
                    waitable = Long.MAX_VALUE;
                    time.delay(decision.wait).thenRun(this::next);
                    return;
                case NEXT_MODEL:
                    chainIndex++;
                    candidates = candidates(chain.get(chainIndex));
                    attemptsAt.clear();
                    triedThisRound.clear();
                    excluded.clear();
                    round = 0;
                    next();
                    return;
                case TRY_SET_ASIDE_KEYS:
                    lastResort = true;
                    triedThisRound.clear();
                    next();
                    return;
                default:
                    result.completeExceptionally(decision.error);
            }
        }

        /** An upstream tried this round may be tried again: not dropped and attempts left. */
        private boolean retriesLeft() {
            for (Upstream u : candidates) {
                if (!excluded.contains(u) && attemptsAt.getOrDefault(u, 0) <= maxRetries(u) && triedThisRound.contains(u)) {
                    return true;
                }
            }
            return false;
        }

        private int maxRetries(Upstream u) {
            return callerRetrying ? 0 : u.maxRetries;
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
                attemptsAt.merge(u, -1, Integer::sum); // a rejected key is no retry of the upstream
                if (key.reject(now, keyCooldown.toNanos())) {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    fields.put("key_number", key.number);
                    fields.put("upstream_status", status);
                    fields.put("retry_in_s", keyCooldown.getSeconds());
                    warn("upstream key rejected; set aside", u, fields);
                }
            } else if (decision.key == Decision.Key.REST) {
                key.rest(now, decision.keyRest.toNanos());
            }
            if (decision.step == Decision.Step.GIVE_UP) {
                result.completeExceptionally(decision.error);
                return;
            }
            if (decision.dropUpstream) {
                excluded.add(u);
            } else if (decision.step == Decision.Step.NEXT_KEY) {
                triedThisRound.remove(u); // another key of the same upstream may take it at once
            }
            next();
        }
    }

    private void warn(String message, Upstream u, String field, Object value) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put(field, value);
        warn(message, u, fields);
    }

    private void warn(String message, Upstream u, Map<String, Object> more) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("level_hint", "WARN");
        fields.put("upstream", u.name);
        fields.putAll(more);
        log.event(message, fields);
    }
}
