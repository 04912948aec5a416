package io.jingnei.core.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fake upstream and S3Proxy for tests of packaged built-in-runtime handlers. The handlers read
 * settings from the environment or, failing that, system properties, so these are set as
 * properties for the test JVM and cleared on close.
 */
public final class HandlerBackends implements AutoCloseable {
    public static final String CLIENT_KEY = "ck-handler-tests-0001";
    public final FakeUpstream upstream;
    public final S3ProxyServer s3;
    private final Map<String, String> properties = new LinkedHashMap<>();

    public HandlerBackends(String bucket, String faqBaseUri) {
        upstream = FakeUpstream.start();
        s3 = S3ProxyServer.start(bucket);
        properties.put("JINGNEI_LLM_BASE_URL", upstream.baseUrl());
        properties.put("JINGNEI_LLM_API_KEY", FakeUpstream.KEY);
        properties.put("JINGNEI_CACHE", "off");
        properties.put("JINGNEI_FAQ_BASE_URI", faqBaseUri);
        properties.put("JINGNEI_CLIENT_KEYS", CLIENT_KEY + ":handler-user");
        properties.putAll(s3.env());
        properties.forEach(System::setProperty);
    }

    /** Runs {@code body} with some settings changed (null clears one), restoring them after. */
    public static void with(Map<String, String> changes, ThrowingRunnable body) throws Exception {
        Map<String, String> before = new LinkedHashMap<>();
        changes.keySet().forEach(name -> before.put(name, System.getProperty(name)));
        changes.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
        try {
            body.run();
        } finally {
            before.forEach((name, value) -> {
                if (value == null) {
                    System.clearProperty(name);
                } else {
                    System.setProperty(name, value);
                }
            });
        }
    }

    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** A sample HTTP event (FC 3.0 or API Gateway) with an Authorization header added. */
    public static byte[] withAuthorization(String eventFile, String credential) throws java.io.IOException {
        com.fasterxml.jackson.databind.node.ObjectNode event = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(Events.bytes(eventFile));
        if (credential != null) {
            event.with("headers").put("Authorization", "Bearer " + credential);
        }
        return event.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A sample HTTP event with another body (plain text, not base64) and the client key. */
    public static byte[] withBody(String eventFile, String body) throws java.io.IOException {
        com.fasterxml.jackson.databind.node.ObjectNode event = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(withAuthorization(eventFile, CLIENT_KEY));
        event.put("body", body).put("isBase64Encoded", false);
        return event.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        properties.keySet().forEach(System::clearProperty);
        s3.close();
        upstream.close();
    }
}
