package io.jingnei.scf;

import com.qcloud.scf.runtime.Context;
import com.qcloud.services.scf.runtime.events.CosEvent;
import io.jingnei.core.entry.FunctionSpec;
import io.jingnei.core.entry.Functions;
import io.jingnei.core.entry.Reply;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

/** {@code index-build} behind a COS trigger on the knowledge base: which object it was is the core's to judge. */
public final class IndexBuildCosHandler {
    /** Its entry in the core's table of functions (HandlersAgreeWithTheTableTest reads it). */
    static final FunctionSpec<?> FUNCTION = Functions.IndexBuild.SPEC;

    /** @return the build's answer, a skip with its reason, or the failure, as JSON text */
    public String handle(CosEvent event, Context context) {
        if (event == null || event.getRecords() == null || event.getRecords().isEmpty() || event.getRecords().get(0).getCos() == null) {
            return Reply.failure(new JingneiException(ErrorKind.INVALID_REQUEST, "not a COS event (Records[0].cos)"), context.getRequestId()).json();
        }
        CosEvent.CosInfo cos = event.getRecords().get(0).getCos();
        String bucket = cos.getCosBucket().getName() + "-" + cos.getCosBucket().getAppid();
        return ScfCalls.call(context.getRequestId(),
                calls -> FUNCTION.objectCreated(calls, "cos", bucket, FaqBatchCosHandler.objectKey(cos), context.getRequestId())).json();
    }
}
