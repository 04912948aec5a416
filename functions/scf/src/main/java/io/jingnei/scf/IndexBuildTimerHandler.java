package io.jingnei.scf;

import com.qcloud.scf.runtime.Context;
import io.jingnei.core.entry.FunctionSpec;
import io.jingnei.core.entry.Functions;

/** {@code index-build} behind an SCF timer trigger: its Message is empty or the build's JSON options. */
public final class IndexBuildTimerHandler {
    /** Its entry in the core's table of functions (HandlersAgreeWithTheTableTest reads it). */
    static final FunctionSpec<?> FUNCTION = Functions.IndexBuild.SPEC;

    public String handle(ScfTimerEvent event, Context context) {
        String payload = event == null ? null : event.Message;
        return ScfCalls.call(context.getRequestId(), calls -> FUNCTION.payload(calls, payload, context.getRequestId())).json();
    }
}
