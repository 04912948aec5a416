package io.jingnei.fc;

import com.aliyun.fc.runtime.Context;
import io.jingnei.core.functions.FunctionCalls;
import io.jingnei.core.functions.Reply;

import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Function;

/** What every handler does around its one line: find the core (or say why it could not boot), write the answer. */
final class Handlers {
    private Handlers() {
    }

    static Reply call(Context context, boolean rag, Function<FunctionCalls, Reply> call) {
        FunctionCalls calls;
        try {
            calls = FcInstance.calls(context, rag);
        } catch (RuntimeException bootFailure) {
            return Reply.failure(503, "boot_failed", "the function could not start: " + bootFailure.getMessage(), context.getRequestId());
        }
        return call.apply(calls);
    }

    static void writeJson(OutputStream out, Reply reply) throws IOException {
        out.write(reply.json().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
