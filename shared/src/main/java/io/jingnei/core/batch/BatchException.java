package io.jingnei.core.batch;

import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

/**
 * The batch's input cannot be run: a missing or relative input without a base, input over the
 * limits, a loop-prone output. Storage failures are not this: they keep their own kind (a write the
 * output bucket refuses is {@code access_denied}, not a bad request).
 */
public final class BatchException extends JingneiException {
    public BatchException(String message) {
        super(ErrorKind.INVALID_REQUEST, message);
    }
}
