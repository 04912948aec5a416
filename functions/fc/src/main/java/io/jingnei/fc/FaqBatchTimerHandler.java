package io.jingnei.fc;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.FunctionInitializer;
import com.aliyun.fc.runtime.PreStopHandler;
import com.aliyun.fc.runtime.StreamRequestHandler;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** {@code faq-batch} behind an FC timer trigger: the payload names the input. */
public final class FaqBatchTimerHandler implements StreamRequestHandler, FunctionInitializer, PreStopHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void initialize(Context context) {
        FcInstance.boot(context, true);
    }

    @Override
    public void handleRequest(InputStream event, OutputStream out, Context context) throws IOException {
        String payload = JSON.readTree(event).path("payload").asText("");
        Handlers.writeJson(out, Handlers.call(context, true, calls -> calls.faqBatchOnTimer(payload, context.getRequestId())));
    }

    @Override
    public void preStop(Context context) {
        FcInstance.stop();
    }
}
