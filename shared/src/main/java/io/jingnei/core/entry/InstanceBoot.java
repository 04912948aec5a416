package io.jingnei.core.entry;

import io.jingnei.core.JingneiInstance;
import io.jingnei.core.config.Env;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.storage.Credentials;
import io.jingnei.core.util.TimeSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one boot of the core per instance of a built-in runtime (FC java11, SCF Java11), from the
 * deployment's configuration, whichever trigger arrives first: what the instance loads (RAG or not)
 * is decided by JINGNEI_RAG_ENABLED, never by the first caller. A failed boot is kept and answered
 * on every call with its cause, not retried silently. The platform's role credentials, which arrive
 * with invocations, are kept here for object storage.
 */
public final class InstanceBoot {
    private static final AtomicReference<Credentials> ROLE = new AtomicReference<>();
    private static volatile FunctionCalls calls;
    private static volatile JingneiException failure;

    private InstanceBoot() {
    }

    /** The instance's calls, booting on first use; throws the boot failure (the same one every time). */
    public static FunctionCalls calls() {
        FunctionCalls ready = calls;
        return ready != null ? ready : boot();
    }

    private static synchronized FunctionCalls boot() {
        if (calls != null) {
            return calls;
        }
        if (failure != null) {
            throw failure;
        }
        CallLog log = CallLog.stdout();
        try {
            calls = new FunctionCalls(JingneiInstance.boot(Env.system(), TimeSource.system(), log, () -> Optional.ofNullable(ROLE.get())));
            return calls;
        } catch (RuntimeException e) {
            failure = new JingneiException(ErrorKind.BOOT_FAILED, "the function could not start: " + JingneiException.from(e).getMessage(), e);
            log.error("boot failed", "boot", e);
            throw failure;
        }
    }

    /**
     * For initializers: boots and, when RAG is enabled, waits until model and index are loaded, so
     * the first request does not pay for them. A RAG failure (model or index) is not a boot failure,
     * here as in the web function's /initialize: the initializer succeeds and logs why, chat still
     * works, rag-query answers the cause, and a missing index is loaded by itself once it appears.
     */
    public static void initialize(long timeoutSeconds) {
        FunctionCalls ready = calls();
        if (ready.instance().ragConfig.enabled) {
            try {
                ready.instance().rag().get(timeoutSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception kept) {
                // kept in the future and answered by rag-query with its cause; logged below
            }
            Map<String, Object> report = RagHealth.of(ready.instance());
            if (!"ready".equals(report.get("rag"))) {
                Map<String, Object> fields = new LinkedHashMap<>(report);
                fields.put("level_hint", "WARN");
                ready.instance().log.event("initialized without RAG ready; chat works, rag-query answers why", fields);
            }
        }
    }

    /**
     * One call of a built-in runtime's handler: the boot failure's reply when the instance could not
     * start, the call's own reply, or, for an exception the call let out (a bug), a JSON 500 whose
     * cause and stack are logged once under the request id, as the reply says.
     */
    public static Reply answer(String requestId, java.util.function.Function<FunctionCalls, java.util.concurrent.CompletableFuture<Reply>> call) {
        FunctionCalls ready;
        try {
            ready = calls();
        } catch (RuntimeException bootFailure) {
            return bootFailure(bootFailure, requestId);
        }
        try {
            return call.apply(ready).join();
        } catch (RuntimeException e) {
            JingneiException failure = JingneiException.from(e);
            if (failure.kind() == ErrorKind.INTERNAL_ERROR) {
                ready.instance().log.error("unexpected failure in a handler", requestId, JingneiException.unwrap(e));
            }
            return Reply.failure(failure, requestId);
        }
    }

    /** The reply for a call that arrives after a failed boot. */
    public static Reply bootFailure(RuntimeException e, String requestId) {
        return Reply.failure(e instanceof JingneiException && ((JingneiException) e).kind() == ErrorKind.BOOT_FAILED
                ? (JingneiException) e : new JingneiException(ErrorKind.BOOT_FAILED, "the function could not start: " + e.getMessage(), e),
                requestId);
    }

    /** Role credentials handed over with an invocation; kept for object storage. */
    public static void rememberRole(String accessKeyId, String secret, String token) {
        if (accessKeyId != null && !accessKeyId.isEmpty() && secret != null && !secret.isEmpty()) {
            ROLE.set(new Credentials(accessKeyId, secret, token));
        }
    }

    public static void stop() {
        FunctionCalls running = calls;
        if (running != null) {
            running.instance().close();
        }
    }
}
