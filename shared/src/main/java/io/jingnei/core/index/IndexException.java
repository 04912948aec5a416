package io.jingnei.core.index;

/** An index that cannot be used: corrupt, of another format version, or built for another model. */
public final class IndexException extends RuntimeException {
    public IndexException(String message) {
        super(message, null, false, false);
    }
}
