package io.jingnei.core.index;

import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

/** An index object cannot be used: wrong format or version, corrupt, truncated, another model. */
public final class IndexException extends JingneiException {
    public IndexException(String message) {
        super(ErrorKind.INDEX_UNAVAILABLE, message);
    }

    public IndexException(String message, Throwable cause) {
        super(ErrorKind.INDEX_UNAVAILABLE, message, cause);
    }
}
