package io.jingnei.core.rag;

import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

import java.net.URI;

/** rag-query has no index to search: the message names the URI and the cause. */
public final class IndexUnavailableException extends JingneiException {
    public IndexUnavailableException(URI uri, String cause, Throwable error) {
        super(ErrorKind.INDEX_UNAVAILABLE, "index " + uri + " is unavailable: " + cause, error);
    }
}
