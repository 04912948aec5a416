package io.jingnei.core.embed;

import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

/** Texts could not be embedded: the model failed to load or run, or the remote endpoint failed. */
public final class EmbeddingException extends JingneiException {
    public EmbeddingException(String message, Throwable cause) {
        super(ErrorKind.EMBEDDING_ERROR, message, cause);
    }
}
