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

/** {@code chat} behind an FC HTTP trigger: {@code io.jingnei.fc.ChatHandler::handleRequest}. */
public final class ChatHandler implements StreamRequestHandler, FunctionInitializer, PreStopHandler {
    /** Its entry in the core's table of functions (HandlersAgreeWithTheTableTest reads it). */
    static final FunctionSpec<?> FUNCTION = Functions.Chat.SPEC;

    @Override
    public void initialize(Context context) {
        Handlers.initialize(context);
    }

    @Override
    public void handleRequest(InputStream event, OutputStream out, Context context) throws IOException {
        Handlers.http(FUNCTION, event, out, context);
    }

    @Override
    public void preStop(Context context) {
        InstanceBoot.stop();
    }
}
