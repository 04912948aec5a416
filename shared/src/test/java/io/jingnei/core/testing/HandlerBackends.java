package io.jingnei.core.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fake upstream and S3Proxy for tests of packaged built-in-runtime handlers. The handlers read
 * settings from the environment or, failing that, system properties, so these are set as
 * properties for the test JVM and cleared on close.
 */
public final class HandlerBackends implements AutoCloseable {
    public final FakeUpstream upstream;
    public final S3ProxyServer s3;
    private final Map<String, String> properties = new LinkedHashMap<>();

    public HandlerBackends(String bucket, String faqBaseUri) {
        upstream = FakeUpstream.start();
        s3 = S3ProxyServer.start(bucket);
        properties.put("JINGNEI_LLM_BASE_URL", upstream.baseUrl());
        properties.put("JINGNEI_LLM_API_KEY", FakeUpstream.KEY);
        properties.put("JINGNEI_FAQ_BASE_URI", faqBaseUri);
        properties.putAll(s3.env());
        properties.forEach(System::setProperty);
    }

    @Override
    public void close() {
        properties.keySet().forEach(System::clearProperty);
        s3.close();
        upstream.close();
    }
}
