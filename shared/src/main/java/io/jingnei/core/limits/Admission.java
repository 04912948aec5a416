package io.jingnei.core.limits;

import java.time.Duration;

/** What the limit store decided for one call: allowed, or which limit stops it and for how long. */
public final class Admission {
    /** {@code HELD_*}: the budget is not spent, but calls in flight have reserved what is left of it. */
    public enum Outcome { ALLOWED, RPM, TPM, BUDGET_DAY, BUDGET_MONTH, HELD_DAY, HELD_MONTH }

    public final Outcome outcome;
    /** For rate limits: until a slot frees. */
    public final Duration retryAfter;

    Admission(Outcome outcome, long retryAfterMillis) {
        this.outcome = outcome;
        this.retryAfter = Duration.ofMillis(retryAfterMillis);
    }

    static final Admission ALLOWED = new Admission(Outcome.ALLOWED, 0);
}
