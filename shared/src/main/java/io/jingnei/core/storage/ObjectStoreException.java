package io.jingnei.core.storage;

import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

import java.net.URI;

/**
 * An object could not be read or written. The message names the URI and the cause (never a
 * credential); the cause is kept for the log. Its {@link Reason} decides the error kind, the same
 * for reads and writes: an output bucket's 403 is {@code access_denied}, not a bad request.
 */
public final class ObjectStoreException extends JingneiException {
    public enum Reason {
        NOT_FOUND(ErrorKind.NOT_FOUND),
        ACCESS_DENIED(ErrorKind.ACCESS_DENIED),
        TIMEOUT(ErrorKind.TIMEOUT),
        UNAVAILABLE(ErrorKind.STORAGE_ERROR),
        INVALID(ErrorKind.INVALID_REQUEST),
        /** A create-only write found the object there already (409/412). */
        EXISTS(ErrorKind.STORAGE_ERROR);

        final ErrorKind kind;

        Reason(ErrorKind kind) {
            this.kind = kind;
        }
    }

    private final Reason reason;
    private final boolean retryable;
    private final URI uri;
    private final String detail;
    private final int attempts;

    public ObjectStoreException(Reason reason, URI uri, String cause) {
        this(reason, uri, cause, false, null);
    }

    public ObjectStoreException(Reason reason, URI uri, String cause, boolean retryable, Throwable error) {
        this(reason, uri, cause, retryable, error, 1);
    }

    private ObjectStoreException(Reason reason, URI uri, String cause, boolean retryable, Throwable error, int attempts) {
        super(reason.kind, uri + ": " + cause, error);
        this.reason = reason;
        this.retryable = retryable;
        this.uri = uri;
        this.detail = cause;
        this.attempts = attempts;
    }

    /** The same failure, met on the last of {@code attempts} requests; this one is kept as the cause. */
    ObjectStoreException gaveUpAfter(int attempts) {
        return new ObjectStoreException(reason, uri, detail + " (gave up after " + attempts + " attempts)", retryable, this, attempts);
    }

    /** What went wrong, without the URI: "object store answered HTTP 503 SlowDown". */
    public String detail() {
        return detail;
    }

    /** Requests made before giving up: 1 unless the failure was retried. */
    public int attempts() {
        return attempts;
    }

    public Reason reason() {
        return reason;
    }

    /** A 5xx, a reset or a timeout: the same request may succeed a moment later. */
    public boolean retryable() {
        return retryable;
    }
}
