package io.jingnei.core.embed;

/** Texts could not be embedded: the model failed to load or run, or the remote endpoint failed. */
public final class EmbeddingException extends RuntimeException {
    public EmbeddingException(String message, Throwable cause) {
        super(message, cause);
    }
}
