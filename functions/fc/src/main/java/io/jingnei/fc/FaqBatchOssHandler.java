package io.jingnei.fc;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.FunctionInitializer;
import com.aliyun.fc.runtime.PreStopHandler;
import com.aliyun.fc.runtime.StreamRequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.functions.Reply;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** {@code faq-batch} behind an OSS object-created trigger: one batch per created object. */
public final class FaqBatchOssHandler implements StreamRequestHandler, FunctionInitializer, PreStopHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void initialize(Context context) {
        FcInstance.boot(context, true);
    }

    @Override
    public void handleRequest(InputStream event, OutputStream out, Context context) throws IOException {
        JsonNode oss = JSON.readTree(event).path("events").path(0).path("oss");
        String bucket = oss.path("bucket").path("name").asText("");
        String key = oss.path("object").path("key").asText("");
        Reply reply = bucket.isEmpty() || key.isEmpty()
                ? Reply.failure(400, "invalid_request", "not an OSS object-created event (events[0].oss.bucket.name and object.key)", context.getRequestId())
                : Handlers.call(context, true, calls -> calls.faqBatchOnObject("oss", bucket, key, context.getRequestId()));
        Handlers.writeJson(out, reply);
    }

    @Override
    public void preStop(Context context) {
        FcInstance.stop();
    }
}
