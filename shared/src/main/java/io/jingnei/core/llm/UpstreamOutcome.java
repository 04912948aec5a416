package io.jingnei.core.llm;

import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

import java.time.Duration;

/**
 * What {@link Failover} knows when it must decide, as plain values: either one attempt just failed
 * ({@link #attemptFailed}), or every candidate upstream of this round was tried or skipped
 * ({@link #roundOver}). {@link FailurePolicy#decide} reads nothing else.
 */
final class UpstreamOutcome {
    enum Moment { ATTEMPT_FAILED, ROUND_OVER }

    final Moment moment;
    /** The model being tried, for the caller's message. */
    final String model;
    /** The attempt's failure, or (round over) the call's last one; null when no attempt has failed yet. */
    final Throwable failure;
    /** The failure's kind; null when there is none. */
    final ErrorKind kind;
    /** The upstream's HTTP status; 0 when no answer came (timeout, connection refused) or no failure. */
    final int status;
    /** Whether another attempt may succeed (5xx, 408/504, 429, transport failures). */
    final boolean retryable;
    /** How long the upstream asked us to wait (Retry-After-Ms, Retry-After); null when it did not say. */
    final Duration askedWait;

    /** Attempt failed: another key of the same upstream may be used now. */
    final boolean otherKeyUsable;

    /** Round over: rounds of waiting done so far in this model (the backoff's step). */
    final int round;
    /** Round over: an upstream tried this round may be tried again (attempts left, caller not retrying, budget not spent). */
    final boolean retriesLeft;
    /** Round over: the fallback chain has another model. */
    final boolean modelsLeft;
    /** Round over: time left before the call's deadline (negative when past). */
    final Duration untilDeadline;
    /** Round over: until the first key resting after a 429 may be used again; null when none rests. */
    final Duration keysRestFor;
    /** Round over: until the first skipped open circuit lets a probe through; null when none was skipped. */
    final Duration untilProbe;
    /** Round over: a key set aside after 401/403 could still be tried. */
    final boolean setAsideKeys;
    /** Round over: the set-aside keys had their one more try already. */
    final boolean lastResort;

    private UpstreamOutcome(Moment moment, String model, Throwable failure, boolean otherKeyUsable, int round, boolean retriesLeft,
                            boolean modelsLeft, Duration untilDeadline, Duration keysRestFor, Duration untilProbe,
                            boolean setAsideKeys, boolean lastResort) {
        this.moment = moment;
        this.model = model;
        this.failure = failure == null ? null : JingneiException.unwrap(failure);
        this.kind = failure == null ? null : JingneiException.from(failure).kind();
        this.status = UpstreamException.statusOf(failure);
        this.retryable = UpstreamException.isRetryable(failure);
        this.askedWait = this.failure instanceof UpstreamException ? ((UpstreamException) this.failure).retryAfter().orElse(null) : null;
        this.otherKeyUsable = otherKeyUsable;
        this.round = round;
        this.retriesLeft = retriesLeft;
        this.modelsLeft = modelsLeft;
        this.untilDeadline = untilDeadline;
        this.keysRestFor = keysRestFor;
        this.untilProbe = untilProbe;
        this.setAsideKeys = setAsideKeys;
        this.lastResort = lastResort;
    }

    static UpstreamOutcome attemptFailed(String model, Throwable failure, boolean otherKeyUsable) {
        return new UpstreamOutcome(Moment.ATTEMPT_FAILED, model, failure, otherKeyUsable, 0, false, false, null, null, null, false, false);
    }

    static UpstreamOutcome roundOver(String model, Throwable lastFailure, int round, boolean retriesLeft, boolean modelsLeft,
                                     Duration untilDeadline, Duration keysRestFor, Duration untilProbe, boolean setAsideKeys,
                                     boolean lastResort) {
        return new UpstreamOutcome(Moment.ROUND_OVER, model, lastFailure, false, round, retriesLeft, modelsLeft, untilDeadline,
                keysRestFor, untilProbe, setAsideKeys, lastResort);
    }
}
