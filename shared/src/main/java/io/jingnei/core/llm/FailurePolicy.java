package io.jingnei.core.llm;

import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.RetryAfter;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * What to do when an upstream call fails, as one function: {@link #decide} maps an
 * {@link UpstreamOutcome} (the failure's kind, HTTP status and Retry-After, what is left to try,
 * the time left) to a {@link Decision}; {@link Failover} only carries decisions out. Read it top
 * to bottom to know what happens on an upstream 429, 401 or 503.
 *
 * <p>After one failed attempt: a rejected key (401/403, or an account out of credit) is set aside
 * and another key of the same upstream is tried at once, else the next upstream; a key answered 429
 * rests for the upstream's Retry-After and the same goes; an unknown model moves on to the next
 * upstream; any other retryable failure (5xx, 408/504, timeouts, connection refused, resets) counts
 * against the upstream's circuit breaker and moves on; everything else (400, 413, ...) goes back to
 * the caller as it is.
 *
 * <p>When every candidate was tried (the round is over): wait and retry the same upstreams (the
 * upstream's Retry-After, or capped exponential backoff with jitter), unless the wait is longer
 * than {@code maxRetryWait} or the deadline, then the next fallback model, then wait for a key
 * resting after a 429 (or answer 429 with when it is back), then 503 with when an open breaker lets
 * a probe through, then one more try with set-aside keys, then give up with the last failure (a 429
 * always carrying a Retry-After).
 */
final class FailurePolicy {
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final Duration maxRetryWait;
    private final DoubleSupplier random;

    FailurePolicy(Duration baseDelay, Duration maxDelay, Duration maxRetryWait, DoubleSupplier random) {
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.maxRetryWait = maxRetryWait;
        this.random = random;
    }

    Decision decide(UpstreamOutcome o) {
        return o.moment == UpstreamOutcome.Moment.ATTEMPT_FAILED ? afterAttempt(o) : afterRound(o);
    }

    private Decision afterAttempt(UpstreamOutcome o) {
        if ((o.kind == ErrorKind.AUTH_ERROR || o.kind == ErrorKind.INSUFFICIENT_QUOTA) && o.status != 0) {
            // The key, not the upstream, is the trouble: no breaker failure, and no retry of the upstream.
            return o.otherKeyUsable ? Decision.nextKey(Decision.Key.SET_ASIDE, null)
                    : Decision.nextUpstream(Decision.Key.SET_ASIDE, null, false, true);
        }
        if (o.kind == ErrorKind.RATE_LIMITED && o.status != 0) {
            // "Slow down" is about this key: it rests, another may take the call at once.
            Decision.Key key = o.askedWait != null ? Decision.Key.REST : Decision.Key.KEEP;
            return o.otherKeyUsable ? Decision.nextKey(key, o.askedWait) : Decision.nextUpstream(key, o.askedWait, false, false);
        }
        if (o.kind == ErrorKind.MODEL_NOT_FOUND) {
            return Decision.nextUpstream(Decision.Key.KEEP, null, false, true);
        }
        if (o.retryable) {
            return Decision.nextUpstream(Decision.Key.KEEP, null, true, false);
        }
        return Decision.giveUp(o.failure);
    }

    private Decision afterRound(UpstreamOutcome o) {
        int round = o.round;
        if (o.retriesLeft && o.failure != null && o.retryable) {
            round++;
            Duration wait = o.askedWait != null ? o.askedWait : min(backoff(round), maxRetryWait);
            // A longer Retry-After belongs to the caller: it is passed back rather than slept on here.
            if (wait.compareTo(maxRetryWait) <= 0 && wait.compareTo(o.untilDeadline) < 0) {
                return Decision.after(Decision.Step.RETRY_SAME, wait);
            }
        }
        if (o.modelsLeft && o.untilDeadline.compareTo(Duration.ZERO) > 0 && !(o.failure != null && requestProblem(o.kind))) {
            return Decision.after(Decision.Step.NEXT_MODEL, null);
        }
        if (o.failure == null && o.keysRestFor != null) {
            Duration wait = o.keysRestFor.compareTo(Duration.ofNanos(1)) < 0 ? Duration.ofNanos(1) : o.keysRestFor;
            if (wait.compareTo(maxRetryWait) <= 0 && wait.compareTo(o.untilDeadline) < 0) {
                return Decision.after(Decision.Step.WAIT, wait);
            }
            return Decision.giveUp(new UpstreamException(ErrorKind.RATE_LIMITED, "every key of the upstreams for model '" + o.model
                    + "' is resting after the upstream's rate limit", false, wait, 429, null));
        }
        if (o.failure == null && o.untilProbe != null) {
            Duration until = o.untilProbe.isZero() ? Duration.ofSeconds(1) : o.untilProbe;
            return Decision.giveUp(new UpstreamException(ErrorKind.UPSTREAM_UNAVAILABLE, "every upstream for model '" + o.model
                    + "' is failing and rests behind its circuit breaker; retry after " + RetryAfter.seconds(until) + " s", false, until, 0, null));
        }
        if (o.failure == null && o.setAsideKeys && !o.lastResort) {
            // Rejected keys only steer calls to what can take them. When nothing else is left, one
            // more try beats failing untried: the key may have been renewed, and if not the caller
            // learns exactly why. (An open circuit answers 503 above: its probe decides recovery.)
            return Decision.after(Decision.Step.TRY_SET_ASIDE_KEYS, null);
        }
        if (o.failure == null) {
            return Decision.giveUp(new UpstreamException(ErrorKind.UPSTREAM_ERROR, "no upstream can take model '" + o.model
                    + "' right now (circuits open or keys resting)", false, null, 0, null));
        }
        if (o.kind == ErrorKind.RATE_LIMITED && o.failure instanceof UpstreamException && o.askedWait == null) {
            // An upstream rate limit always says when to come back, even when the upstream did not.
            return Decision.giveUp(((UpstreamException) o.failure).withRetryAfter(backoff(round + 1)));
        }
        return Decision.giveUp(o.failure);
    }

    /**
     * Capped exponential backoff with jitter: the n-th wait (1 for the first) is a random time in
     * [d/2, d] where d = min(maxDelay, baseDelay * 2^(n-1)).
     */
    Duration backoff(int retry) {
        long capped = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(retry - 1, 30));
        long jittered = capped / 2 + (long) (random.getAsDouble() * (capped - capped / 2));
        return Duration.ofMillis(jittered);
    }

    /** Failures another upstream or model would answer the same way: the request itself is wrong. */
    private static boolean requestProblem(ErrorKind kind) {
        return kind == ErrorKind.INVALID_REQUEST || kind == ErrorKind.PAYLOAD_TOO_LARGE;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
