package io.jingnei.core.error;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A failure a caller can be told about: its {@link ErrorKind} and a message that is safe to show
 * (no secret, no personal information). The cause is kept for the log. Anything else that escapes
 * (a bug) becomes {@link ErrorKind#INTERNAL_ERROR} through {@link #from}, keeping the bug as cause
 * so the boundary can log its stack once.
 */
public class JingneiException extends RuntimeException {
    private final ErrorKind kind;
    /** When the caller may come back (sent as {@code Retry-After}); null when a retry would not help sooner. */
    private final Duration retryAfter;
    private volatile boolean stackLogged;
    /** The request field the failure is about, as OpenAI's {@code error.param} names it; null when none. */
    private volatile String param;

    public JingneiException(ErrorKind kind, String message) {
        this(kind, message, null);
    }

    public JingneiException(ErrorKind kind, String message, Throwable cause) {
        this(kind, message, null, cause);
    }

    public JingneiException(ErrorKind kind, String message, Duration retryAfter, Throwable cause) {
        // No stack trace of our own: these are expected outcomes, created often (bad input, 429s).
        super(message, cause, false, false);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** Names the request field this failure is about (OpenAI's {@code error.param}); returns this. */
    public JingneiException about(String field) {
        this.param = field;
        return this;
    }

    public java.util.Optional<String> param() {
        return java.util.Optional.ofNullable(param);
    }

    /** When to come back; {@link RetryAfter} writes it as our {@code Retry-After}. */
    public java.util.Optional<Duration> retryAfter() {
        return java.util.Optional.ofNullable(retryAfter);
    }

    /** A bug rather than an expected failure: the boundary logs the cause's stack. */
    public boolean internal() {
        return kind == ErrorKind.INTERNAL_ERROR;
    }

    /** Whether a log line already carries this failure's stack: it is logged once, where it is first seen. */
    public boolean stackLogged() {
        return stackLogged;
    }

    public void markStackLogged() {
        stackLogged = true;
    }

    /** Unwraps the layers futures add; an unknown throwable becomes an internal error that keeps it. */
    public static JingneiException from(Throwable t) {
        Throwable cause = unwrap(t);
        if (cause instanceof JingneiException) {
            return (JingneiException) cause;
        }
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new JingneiException(ErrorKind.INTERNAL_ERROR, "interrupted while the call was running", cause);
        }
        return new JingneiException(ErrorKind.INTERNAL_ERROR,
                "internal error; the instance log has the details under this request id", cause);
    }

    /** Strips CompletionException and ExecutionException wrappers. */
    public static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
