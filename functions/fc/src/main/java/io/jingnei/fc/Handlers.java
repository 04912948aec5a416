package io.jingnei.fc;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.Credentials;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.entry.FunctionCalls;
import io.jingnei.core.entry.FunctionSpec;
import io.jingnei.core.entry.HttpTriggers;
import io.jingnei.core.entry.InstanceBoot;
import io.jingnei.core.entry.Reply;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What every FC handler does around its one line: keep the role's credentials, find the instance's
 * core (or answer why it could not boot), wait for the answer (one request per instance, so
 * waiting is fine here), write it.
 */
final class Handlers {
    private Handlers() {
    }

    static Reply call(Context context, Function<FunctionCalls, CompletableFuture<Reply>> call) {
        remember(context);
        return InstanceBoot.answer(context.getRequestId(), call);
    }

    /** An HTTP-trigger invocation: the core decides access, route and method from the event. */
    static void http(FunctionSpec<?> function, InputStream event, OutputStream out, Context context) throws IOException {
        Reply reply;
        try {
            HttpTrigger request = HttpTrigger.read(event);
            reply = call(context, calls -> HttpTriggers.call(calls, function, request.method, request.path, request.headers, request.body,
                    context.getRequestId()));
        } catch (JingneiException unreadable) {
            reply = Reply.failure(unreadable, context.getRequestId());
        }
        HttpTrigger.write(out, reply, context.getRequestId());
    }

    static void initialize(Context context) {
        remember(context);
        InstanceBoot.initialize(300);
        if (System.getenv("JAVA_TOOL_OPTIONS") != null) {
            ToolOptions.report(System.getenv("JAVA_TOOL_OPTIONS"), ManagementFactory.getRuntimeMXBean().getInputArguments(),
                    System.getProperty("java.vm.version")).ifPresent(fields -> InstanceBoot.calls().instance().log.event("JAVA_TOOL_OPTIONS", fields));
        }
    }

    static void writeJson(OutputStream out, Reply reply) throws IOException {
        out.write(reply.json().getBytes(StandardCharsets.UTF_8));
    }

    /** The function role's temporary credentials come with each invocation and rotate: keep the newest. */
    private static void remember(Context context) {
        Credentials credentials = context == null ? null : context.getExecutionCredentials();
        if (credentials != null) {
            InstanceBoot.rememberRole(credentials.getAccessKeyId(), credentials.getAccessKeySecret(), credentials.getSecurityToken());
        }
    }
}
