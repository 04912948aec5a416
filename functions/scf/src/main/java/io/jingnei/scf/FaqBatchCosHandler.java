package io.jingnei.scf;

import com.qcloud.scf.runtime.Context;
import com.qcloud.services.scf.runtime.events.CosEvent;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.entry.Reply;
import io.jingnei.core.entry.FunctionSpec;
import io.jingnei.core.entry.Functions;

/** {@code faq-batch} behind a COS object-created trigger. */
public final class FaqBatchCosHandler {
    /** Its entry in the core's table of functions (HandlersAgreeWithTheTableTest reads it). */
    static final FunctionSpec<?> FUNCTION = Functions.FaqBatch.SPEC;

    /** @return the batch summary, or the failure, as JSON text */
    public String handle(CosEvent event, Context context) {
        if (event == null || event.getRecords() == null || event.getRecords().isEmpty() || event.getRecords().get(0).getCos() == null) {
            return Reply.failure(new JingneiException(ErrorKind.INVALID_REQUEST, "not a COS event (Records[0].cos)"), context.getRequestId()).json();
        }
        CosEvent.CosInfo cos = event.getRecords().get(0).getCos();
        String bucket = cos.getCosBucket().getName() + "-" + cos.getCosBucket().getAppid();
        return ScfCalls.call(context.getRequestId(),
                calls -> FUNCTION.objectCreated(calls, "cos", bucket, objectKey(cos), context.getRequestId())).json();
    }

    /** COS names the object "/appid/bucket/key"; the key is what follows. */
    static String objectKey(CosEvent.CosInfo cos) {
        String key = cos.getCosObject().getKey();
        String prefix = "/" + cos.getCosBucket().getAppid() + "/" + cos.getCosBucket().getName() + "/";
        return key.startsWith(prefix) ? key.substring(prefix.length()) : key.replaceFirst("^/", "");
    }
}
