package io.jingnei.scf;

import com.qcloud.scf.runtime.Context;
import io.jingnei.core.entry.FunctionSpec;
import io.jingnei.core.entry.Functions;

/** {@code faq-batch} behind an SCF timer trigger: its Message names the input. */
public final class FaqBatchTimerHandler {
    /** Its entry in the core's table of functions (HandlersAgreeWithTheTableTest reads it). */
    static final FunctionSpec<?> FUNCTION = Functions.FaqBatch.SPEC;

    public String handle(ScfTimerEvent event, Context context) {
        String payload = event == null ? null : event.Message;
        return ScfCalls.call(context.getRequestId(), calls -> FUNCTION.payload(calls, payload, context.getRequestId())).json();
    }
}
