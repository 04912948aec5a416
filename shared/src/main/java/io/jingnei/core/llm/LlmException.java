package io.jingnei.core.llm;

import java.time.Duration;
import java.util.Optional;

/**
 * A failed upstream call or a rejected request. Messages are safe to show: they never carry the
 * API key (see {@link Secrets}).
 */
public final class LlmException extends RuntimeException {
    private final ErrorKind kind;
    private final boolean retryable;
    private final Duration retryAfter;
    private final int upstreamStatus;

    public LlmException(ErrorKind kind, String message) {
        this(kind, message, false, null, 0, null);
    }

    public LlmException(ErrorKind kind, String message, boolean retryable, Duration retryAfter, int upstreamStatus, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
        this.upstreamStatus = upstreamStatus;
    }

    public ErrorKind kind() {
        return kind;
    }

    public boolean retryable() {
        return retryable;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** 0 when no HTTP response was received. */
    public int upstreamStatus() {
        return upstreamStatus;
    }

    /** Unwraps the CompletionException layers a CompletableFuture adds. */
    public static LlmException from(Throwable t) {
        Throwable cause = t;
        while (cause != null && !(cause instanceof LlmException) && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof LlmException) {
            return (LlmException) cause;
        }
        return new LlmException(ErrorKind.UPSTREAM_ERROR, "internal error: " + t.getClass().getSimpleName(), false, null, 0, t);
    }
}
