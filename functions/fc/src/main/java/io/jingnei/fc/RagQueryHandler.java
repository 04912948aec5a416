package io.jingnei.fc;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.FunctionInitializer;
import com.aliyun.fc.runtime.PreStopHandler;
import com.aliyun.fc.runtime.StreamRequestHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** {@code rag-query} behind an FC HTTP trigger; the initializer loads model and index. */
public final class RagQueryHandler implements StreamRequestHandler, FunctionInitializer, PreStopHandler {

    @Override
    public void initialize(Context context) {
        FcInstance.boot(context, true);
    }

    @Override
    public void handleRequest(InputStream event, OutputStream out, Context context) throws IOException {
        byte[] body = HttpTrigger.body(event);
        HttpTrigger.write(out, Handlers.call(context, true, calls -> calls.ragQuery(body, context.getRequestId())), context.getRequestId());
    }

    @Override
    public void preStop(Context context) {
        FcInstance.stop();
    }
}
