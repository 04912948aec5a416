package io.jingnei.web;

import io.jingnei.core.call.CallTrace;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * A non-streamed call whose caller goes away (its connection closes before the answer) is
 * cancelled: the core aborts the upstream exchange, logs the call {@code cancelled} and charges the
 * prompt estimate. Without this the upstream call ran to its end, and was charged, for nobody.
 */
final class CallerGone {
    private CallerGone() {
    }

    /** A trace for a call of this request, cancelled when the caller goes away. */
    static CallTrace watch(RoutingContext ctx) {
        CallTrace trace = new CallTrace();
        cancelOnClose(ctx, trace);
        return trace;
    }

    static void cancelOnClose(RoutingContext ctx, CallTrace trace) {
        HttpServerResponse response = ctx.response();
        // An end handler, not the response's closeHandler: that is one slot, which Vert.x Web takes
        // over for its own end handlers (Funqy's routes add one), and ours would then never run.
        ctx.addEndHandler(done -> {
            if (!response.ended()) {
                trace.cancel();
            }
        });
        if (response.closed() && !response.ended()) {
            trace.cancel(); // gone already, while its body was read or its credentials checked
        }
    }
}
