package io.jingnei.core.entry;

import io.jingnei.core.JingneiInstance;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.auth.RequestHeaders;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * An HTTP request as the built-in runtimes' triggers deliver it (FC's HTTP trigger, SCF's API
 * Gateway), decided in the order the web function's gate decides: the function, the method, access
 * as the table declares it, the body's size, then the body with the function's own reader. A
 * handler bound to one function ({@code chat} or {@code rag-query}) answers it whatever the path; a
 * handler for several ({@code function} null, SCF's single event handler) goes by the path's last
 * segment among the functions {@link Functions} says HTTP triggers deliver to.
 */
public final class HttpTriggers {
    private HttpTriggers() {
    }

    public static CompletableFuture<Reply> call(FunctionCalls calls, FunctionSpec<?> function, String method, String path,
                                                RequestHeaders headers, byte[] body, String requestId) {
        JingneiInstance instance = calls.instance();
        String id = CallContext.acceptRequestId(requestId);
        String route = path == null ? "/" : path;
        FunctionSpec<?> called = function != null ? function : Functions.onHttpTriggerAt(route);
        if (called == null) {
            return FunctionCalls.done(Reply.failure(new JingneiException(ErrorKind.NOT_FOUND, "no function at " + shown(route)
                    + "; use " + Functions.onHttpTriggers().stream().map(f -> "POST " + f.path).collect(Collectors.joining(" or "))), id));
        }
        if (!"POST".equalsIgnoreCase(method)) {
            Reply refused = Reply.failure(new JingneiException(ErrorKind.METHOD_NOT_ALLOWED, "use POST for " + called.path), id);
            Map<String, String> headersOut = new LinkedHashMap<>(refused.headers);
            headersOut.put("Allow", "POST");
            return FunctionCalls.done(new Reply(refused.status, refused.body, headersOut));
        }
        try {
            Caller caller = called.access == Access.ADMIN ? instance.auth.requireAdmin(headers) : instance.auth.authenticate(headers);
            if (body != null && body.length > instance.caps.maxBodyBytes) {
                throw new JingneiException(ErrorKind.PAYLOAD_TOO_LARGE, "the body has " + body.length
                        + " bytes; the limit is " + instance.caps.maxBodyBytes + " (JINGNEI_MAX_BODY_BYTES)");
            }
            return read(calls, called, caller, body, id);
        } catch (JingneiException e) {
            return calls.rejected(called.name, id, e);
        }
    }

    private static <B> CompletableFuture<Reply> read(FunctionCalls calls, FunctionSpec<B> function, Caller caller, byte[] body, String requestId) {
        return function.reply(calls, caller, function.read(body), requestId);
    }

    private static String shown(String path) {
        return path.length() > 100 ? path.substring(0, 100) + "…" : path;
    }
}
