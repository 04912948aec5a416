package io.jingnei.bench.fchello;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.FunctionInitializer;
import com.aliyun.fc.runtime.StreamRequestHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The floor of the FC java11 runtime: a handler that reads its event and answers a constant HTTP
 * trigger response. Cold-start rows are read against it. A benchmark fixture, never in a product
 * package: ColdStart copies it into a code package of its own (this class at the root,
 * fc-java-core under lib/).
 */
public final class HelloHandler implements StreamRequestHandler, FunctionInitializer {
    private static final byte[] ANSWER = "{\"statusCode\":200,\"headers\":{\"Content-Type\":\"text/plain\"},\"body\":\"hello\"}"
            .getBytes(StandardCharsets.UTF_8);

    @Override
    public void initialize(Context context) {
    }

    @Override
    public void handleRequest(InputStream event, OutputStream out, Context context) throws IOException {
        event.readAllBytes();
        out.write(ANSWER);
    }
}
