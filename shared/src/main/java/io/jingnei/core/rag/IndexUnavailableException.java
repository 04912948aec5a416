package io.jingnei.core.rag;

import java.net.URI;

/** rag-query has no index to search: the message names the URI and the cause. */
public final class IndexUnavailableException extends RuntimeException {
    public IndexUnavailableException(URI uri, String cause) {
        super("index " + uri + " is unavailable: " + cause, null, false, false);
    }
}
