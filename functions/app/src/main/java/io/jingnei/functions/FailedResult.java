package io.jingnei.functions;

/**
 * A function's failure answer travelling through Funqy, which knows only 200 and 500, to
 * {@link FunctionErrors}, which writes it with its own HTTP status.
 */
final class FailedResult extends RuntimeException {
    final int httpStatus;
    final Object body;

    FailedResult(int httpStatus, Object body) {
        super(null, null, false, false);
        this.httpStatus = httpStatus;
        this.body = body;
    }
}
