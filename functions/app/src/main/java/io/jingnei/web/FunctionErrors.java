package io.jingnei.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.entry.FunctionSpec;
import io.jingnei.core.entry.Functions;
import io.jingnei.core.entry.Route;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Every failure a route did not answer itself becomes JSON in the route's shape: a
 * {@link FailedResult} with its own status; a body Funqy could not bind (it answers a bare 400),
 * explained by the core's own reader; a body over the limit (413); anything unexpected (500 with
 * the request id, its stack logged once as JSON).
 */
@ApplicationScoped
public class FunctionErrors {
    @Inject
    ObjectMapper json;
    @Inject
    JingneiInstance jingnei;

    void register(@Observes Router router) {
        router.route().order(-100).failureHandler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        FailedResult failed = failedResult(ctx.failure());
        if (failed != null) {
            Errors.write(json, ctx, failed.reply);
            return;
        }
        String path = ctx.normalizedPath();
        String requestId = AccessGate.requestId(ctx);
        Route route = Functions.at(path);
        FunctionSpec<?> function = route == null || route.function == null || route.function.streamed() ? null : route.function;
        int status = ctx.statusCode();
        JingneiException reason;
        if (status == 400 && ctx.request().method() == HttpMethod.POST && function != null) {
            reason = explain(function, OpenAiRoutes.bytes(ctx));
        } else if (status == 413) {
            reason = new JingneiException(ErrorKind.PAYLOAD_TOO_LARGE, "request body is larger than " + jingnei.caps.maxBodyBytes
                    + " bytes (JINGNEI_MAX_BODY_BYTES)");
        } else if (status == 405) {
            reason = new JingneiException(ErrorKind.METHOD_NOT_ALLOWED, "method " + ctx.request().method() + " is not allowed on " + path);
        } else if (status == 404) {
            reason = new JingneiException(ErrorKind.NOT_FOUND, "no route " + path);
        } else if (status == 400) {
            reason = new JingneiException(ErrorKind.INVALID_REQUEST, "the request could not be read");
        } else {
            Throwable bug = ctx.failure() == null ? new IllegalStateException("HTTP " + status) : ctx.failure();
            reason = JingneiException.from(bug);
            if (reason.internal() && !reason.stackLogged()) {
                reason.markStackLogged();
                jingnei.log.error("unexpected failure on " + path, requestId, bug);
            }
        }
        if (reason.kind() != ErrorKind.INTERNAL_ERROR) {
            jingnei.completions().rejected(new CallContext(requestId, path.length() > 1 ? path.substring(1) : "root", null), null, reason);
        }
        Errors.write(json, ctx, reason);
    }

    /** Funqy wraps what a function throws in its ApplicationException. */
    private static FailedResult failedResult(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FailedResult) {
                return (FailedResult) t;
            }
        }
        return null;
    }

    /** The body Funqy rejected, read by the function's own core reader from the table. */
    private static JingneiException explain(FunctionSpec<?> function, byte[] body) {
        try {
            function.read(body);
            return new JingneiException(ErrorKind.INVALID_REQUEST, "request body does not fit this function");
        } catch (JingneiException e) {
            return e;
        }
    }
}
