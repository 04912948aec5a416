package io.jingnei.scf;

import com.qcloud.scf.runtime.Context;

/** {@code faq-batch} behind an SCF timer trigger: its Message names the input. */
public final class FaqBatchTimerHandler {

    public String handle(ScfTimerEvent event, Context context) {
        String payload = event == null ? null : event.Message;
        return ScfCalls.call(context.getRequestId(), calls -> calls.faqBatchOnTimer(payload, context.getRequestId())).json();
    }
}
