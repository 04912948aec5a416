package io.jingnei.scf;

import io.jingnei.core.JingneiInstance;
import io.jingnei.core.config.Env;
import io.jingnei.core.functions.FunctionCalls;
import io.jingnei.core.functions.Reply;
import io.jingnei.core.llm.TimeSource;
import io.jingnei.core.log.CallLog;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The core, booted once per SCF instance on its first call (SCF event functions have no
 * initializer hook). A failed boot is kept and reported on every call. Role credentials reach SCF
 * functions as TENCENTCLOUD_* variables, which the core's credential chain reads on every request.
 */
final class ScfInstance {
    private static volatile FunctionCalls calls;
    private static volatile RuntimeException failure;

    private ScfInstance() {
    }

    static Reply call(String requestId, boolean rag, Function<FunctionCalls, Reply> call) {
        FunctionCalls ready;
        try {
            ready = boot(rag);
        } catch (RuntimeException bootFailure) {
            return Reply.failure(503, "boot_failed", "the function could not start: " + bootFailure.getMessage(), requestId);
        }
        return call.apply(ready);
    }

    private static synchronized FunctionCalls boot(boolean rag) {
        if (calls != null) {
            return calls;
        }
        if (failure != null) {
            throw failure;
        }
        try {
            Env env = rag ? Env.system() : Env.of(Map.of("JINGNEI_RAG_ENABLED", "false")).orElse(Env.system());
            calls = new FunctionCalls(JingneiInstance.boot(env, TimeSource.system(), CallLog.stdout(), Optional::empty));
            return calls;
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
    }
}
