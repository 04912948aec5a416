package io.jingnei.core.limits;

import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.error.RetryAfterException;

/** A call refused by a limit: {@code rate_limited} with when to come back, or {@code insufficient_quota} for a budget. */
public final class LimitExceeded extends JingneiException implements RetryAfterException {
    private final long retryAfterSeconds;

    LimitExceeded(ErrorKind kind, String message, long retryAfterSeconds) {
        super(kind, message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public long seconds() {
        return retryAfterSeconds;
    }
}
