package io.jingnei.fc;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.FunctionInitializer;
import com.aliyun.fc.runtime.PreStopHandler;
import com.aliyun.fc.runtime.StreamRequestHandler;
import io.jingnei.core.entry.FunctionSpec;
import io.jingnei.core.entry.Functions;
import io.jingnei.core.entry.InstanceBoot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** {@code faq-batch} behind OSS object-created and timer triggers: one function, the event's shape says which. */
public final class FaqBatchHandler implements StreamRequestHandler, FunctionInitializer, PreStopHandler {
    /** Its entry in the core's table of functions (HandlersAgreeWithTheTableTest reads it). */
    static final FunctionSpec<?> FUNCTION = Functions.FaqBatch.SPEC;

    @Override
    public void initialize(Context context) {
        Handlers.initialize(context);
    }

    @Override
    public void handleRequest(InputStream event, OutputStream out, Context context) throws IOException {
        byte[] bytes = event.readAllBytes();
        Handlers.writeJson(out, Handlers.call(context, calls -> FcEvents.call(FUNCTION, calls, bytes, context.getRequestId())));
    }

    @Override
    public void preStop(Context context) {
        InstanceBoot.stop();
    }
}
