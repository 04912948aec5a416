package io.jingnei.core.documents;

/**
 * A file that cannot be indexed as it is (encrypted, no text layer, corrupt, a zip bomb): the
 * message is the reason the build report gives for skipping it, and the rest of the build goes on.
 */
public final class UnreadableFileException extends Exception {
    public UnreadableFileException(String reason) {
        super(reason);
    }

    public UnreadableFileException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
