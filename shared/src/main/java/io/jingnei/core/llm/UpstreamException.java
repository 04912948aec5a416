package io.jingnei.core.llm;

import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

import java.time.Duration;
import java.util.Optional;

/**
 * A failed upstream exchange: what the retry and failover logic needs (retryable, how long the
 * upstream asked us to wait ({@link #retryAfter()}), its HTTP status) and what {@code /v1} callers are shown of the
 * upstream's own error ({@code type}, {@code code}, {@code param}, all redacted already).
 */
public final class UpstreamException extends JingneiException {
    private final boolean retryable;
    private final int upstreamStatus;
    private final String upstreamType;
    private final String upstreamCode;
    private final String upstreamParam;

    public UpstreamException(ErrorKind kind, String message, boolean retryable, Duration retryAfter, int upstreamStatus, Throwable cause) {
        this(kind, message, retryable, retryAfter, upstreamStatus, null, null, null, cause);
    }

    public UpstreamException(ErrorKind kind, String message, boolean retryable, Duration retryAfter, int upstreamStatus,
                             String upstreamType, String upstreamCode, String upstreamParam, Throwable cause) {
        super(kind, message, retryAfter, cause);
        this.retryable = retryable;
        this.upstreamStatus = upstreamStatus;
        this.upstreamType = upstreamType;
        this.upstreamCode = upstreamCode;
        this.upstreamParam = upstreamParam;
    }

    public boolean retryable() {
        return retryable;
    }

    /** 0 when no HTTP response was received. */
    public int upstreamStatus() {
        return upstreamStatus;
    }

    public Optional<String> upstreamType() {
        return Optional.ofNullable(upstreamType);
    }

    public Optional<String> upstreamCode() {
        return Optional.ofNullable(upstreamCode);
    }

    public Optional<String> upstreamParam() {
        return Optional.ofNullable(upstreamParam);
    }

    /** The same failure, telling the caller when to come back (a Retry-After of our own choosing). */
    public UpstreamException withRetryAfter(Duration wait) {
        return new UpstreamException(kind(), getMessage(), retryable, wait, upstreamStatus, upstreamType, upstreamCode, upstreamParam, getCause());
    }

    /** Whether another attempt may succeed: only upstream exchanges that say so. */
    public static boolean isRetryable(Throwable failure) {
        Throwable t = JingneiException.unwrap(failure);
        return t instanceof UpstreamException && ((UpstreamException) t).retryable;
    }

    public static int statusOf(Throwable failure) {
        Throwable t = JingneiException.unwrap(failure);
        return t instanceof UpstreamException ? ((UpstreamException) t).upstreamStatus : 0;
    }
}
