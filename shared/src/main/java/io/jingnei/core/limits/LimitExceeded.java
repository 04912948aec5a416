package io.jingnei.core.limits;

import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

import java.time.Duration;

/** A call refused by a limit: {@code rate_limited} or {@code insufficient_quota}, with when to come back ({@link #retryAfter()}). */
public final class LimitExceeded extends JingneiException {
    LimitExceeded(ErrorKind kind, String message, long retryAfterSeconds) {
        super(kind, message, Duration.ofSeconds(retryAfterSeconds), null);
    }
}
