package io.jingnei.fc;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.Credentials;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.config.Env;
import io.jingnei.core.functions.FunctionCalls;
import io.jingnei.core.llm.TimeSource;
import io.jingnei.core.log.CallLog;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The core, booted once per FC instance (in the initializer when one is configured, else on the
 * first call). A failed boot is kept and reported on every call with its cause, not retried
 * silently. The function's role credentials arrive with each invocation and are kept for
 * object-storage requests.
 */
final class FcInstance {
    private static final AtomicReference<Credentials> ROLE = new AtomicReference<>();
    private static volatile FunctionCalls calls;
    private static volatile RuntimeException failure;

    private FcInstance() {
    }

    /** @param rag whether this function answers from the index: then model and index load here too */
    static synchronized FunctionCalls boot(Context context, boolean rag) {
        remember(context);
        if (calls != null) {
            return calls;
        }
        if (failure != null) {
            throw failure;
        }
        try {
            Env env = rag ? Env.system() : Env.of(Map.of("JINGNEI_RAG_ENABLED", "false")).orElse(Env.system());
            FunctionCalls booted = new FunctionCalls(JingneiInstance.boot(env, TimeSource.system(), CallLog.stdout(), FcInstance::role));
            if (rag) {
                booted.awaitRag();
            }
            calls = booted;
            return booted;
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
    }

    static FunctionCalls calls(Context context, boolean rag) {
        FunctionCalls ready = calls;
        if (ready == null) {
            return boot(context, rag);
        }
        remember(context);
        return ready;
    }

    static void stop() {
        FunctionCalls running = calls;
        if (running != null) {
            running.instance().close();
        }
    }

    private static void remember(Context context) {
        Credentials credentials = context == null ? null : context.getExecutionCredentials();
        if (credentials != null && credentials.getAccessKeyId() != null && !credentials.getAccessKeyId().isEmpty()) {
            ROLE.set(credentials);
        }
    }

    private static Optional<io.jingnei.core.storage.Credentials> role() {
        Credentials current = ROLE.get();
        return current == null ? Optional.empty() : Optional.of(new io.jingnei.core.storage.Credentials(
                current.getAccessKeyId(), current.getAccessKeySecret(), current.getSecurityToken()));
    }
}
