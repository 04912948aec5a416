package io.jingnei.fc;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.FunctionInitializer;
import com.aliyun.fc.runtime.PreStopHandler;
import com.aliyun.fc.runtime.StreamRequestHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** {@code chat} behind an FC HTTP trigger: {@code io.jingnei.fc.ChatHandler::handleRequest}. */
public final class ChatHandler implements StreamRequestHandler, FunctionInitializer, PreStopHandler {

    @Override
    public void initialize(Context context) {
        FcInstance.boot(context, false);
    }

    @Override
    public void handleRequest(InputStream event, OutputStream out, Context context) throws IOException {
        byte[] body = HttpTrigger.body(event);
        HttpTrigger.write(out, Handlers.call(context, false, calls -> calls.chat(body, context.getRequestId())), context.getRequestId());
    }

    @Override
    public void preStop(Context context) {
        FcInstance.stop();
    }
}
