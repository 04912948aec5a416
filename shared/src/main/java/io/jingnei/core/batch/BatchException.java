package io.jingnei.core.batch;

/** The batch as a whole cannot run: bad settings, input over the limits, a loop-prone output. */
public final class BatchException extends RuntimeException {
    public BatchException(String message) {
        super(message, null, false, false);
    }
}
