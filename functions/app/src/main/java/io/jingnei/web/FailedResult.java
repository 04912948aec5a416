package io.jingnei.web;

import io.jingnei.core.entry.Reply;

/**
 * A function's failure reply travelling through Funqy, which knows only 200 and 500, to
 * {@link FunctionErrors}, which writes it with its own status and headers.
 */
final class FailedResult extends RuntimeException {
    final Reply reply;

    FailedResult(Reply reply) {
        super(null, null, false, false);
        this.reply = reply;
    }
}
