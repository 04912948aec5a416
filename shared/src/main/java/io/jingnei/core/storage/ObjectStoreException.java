package io.jingnei.core.storage;

import java.net.URI;

/** An object could not be read or written. The message names the URI and the cause. */
public final class ObjectStoreException extends RuntimeException {
    public enum Reason { NOT_FOUND, ACCESS_DENIED, TIMEOUT, UNAVAILABLE, INVALID }

    private final Reason reason;

    public ObjectStoreException(Reason reason, URI uri, String cause) {
        super(uri + ": " + cause, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
