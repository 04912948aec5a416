package io.jingnei.fc;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.FunctionInitializer;
import com.aliyun.fc.runtime.PreStopHandler;
import com.aliyun.fc.runtime.StreamRequestHandler;
import io.jingnei.core.entry.IndexBuildEvents;
import io.jingnei.core.entry.InstanceBoot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * {@code index-build} behind OSS object and timer triggers ({@code io.jingnei.fc.IndexBuildHandler::handleRequest}),
 * in its own code package, the only FC one with the document parsers. What the event asks for is the core's decision.
 */
public final class IndexBuildHandler implements StreamRequestHandler, FunctionInitializer, PreStopHandler {

    @Override
    public void initialize(Context context) {
        Handlers.initialize(context);
    }

    @Override
    public void handleRequest(InputStream event, OutputStream out, Context context) throws IOException {
        byte[] bytes = event.readAllBytes();
        Handlers.writeJson(out, Handlers.call(context, calls -> IndexBuildEvents.of(calls).onFcEvent(bytes, context.getRequestId())));
    }

    @Override
    public void preStop(Context context) {
        InstanceBoot.stop();
    }
}
