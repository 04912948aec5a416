package io.jingnei.web;

import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.S3ProxyServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the fake upstream and S3Proxy (bucket jingnei-faq) before Quarkus boots and points the app
 * at them. Also tees standard output, where the call log goes, so tests can read the log lines.
 */
public class FakeUpstreamResource implements QuarkusTestResourceLifecycleManager {
    public static final String CLIENT_KEY = "ck-shop-a-secret";
    public static final String ADMIN_KEY = "ak-ops-admin-secret-0001";
    public static final String JWT_SECRET = "jwt-secret-for-tests-0123456789abcdef";
    public static final String JWT_ISSUER = "https://shop.example.cn";
    public static final String JWT_AUDIENCE = "jingnei";
    static FakeUpstream upstream;
    static S3ProxyServer s3;
    /** A folder index-build may read and write (JINGNEI_STORAGE_ALLOW); anything else on disk is off limits. */
    static Path allowedDir;
    /** The origin a test may call from in a browser (JINGNEI_CORS_ORIGINS). */
    static int corsPort;
    private static final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private static PrintStream original;

    @Override
    public Map<String, String> start() {
        upstream = FakeUpstream.start();
        s3 = S3ProxyServer.start("jingnei-faq");
        original = System.out;
        System.setOut(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
        try {
            allowedDir = Files.createTempDirectory("jingnei-allowed-").toRealPath();
            try (ServerSocket socket = new ServerSocket(0)) {
                corsPort = socket.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = new HashMap<>(s3.env());
        config.put("JINGNEI_LLM_BASE_URL", upstream.baseUrl());
        config.put("JINGNEI_LLM_API_KEY", FakeUpstream.KEY);
        // Cached answers would hide the upstream calls these tests count; RedisCacheIT tests the cache.
        config.put("JINGNEI_CACHE", "off");
        config.put("JINGNEI_STREAM_IDLE_TIMEOUT", "1s");
        // Every test class shares this one app, and so one retry budget per upstream: a class that
        // spent it would take the next class's retries, in whatever order classes run. The budget
        // itself is tested in FailoverTest and, through its own app, in RetryAmplificationIT.
        config.put("JINGNEI_RETRY_BUDGET_MIN", "1000");
        config.put("JINGNEI_CLIENT_KEYS", CLIENT_KEY + ":shop-a");
        config.put("JINGNEI_ADMIN_KEYS", ADMIN_KEY);
        config.put("JINGNEI_JWT_SECRET", JWT_SECRET);
        config.put("JINGNEI_JWT_ISSUER", JWT_ISSUER);
        config.put("JINGNEI_JWT_AUDIENCE", JWT_AUDIENCE);
        config.put("JINGNEI_FAQ_BASE_URI", "oss://jingnei-faq/");
        config.put("JINGNEI_STORAGE_ALLOW", allowedDir.toUri().toString());
        config.put("JINGNEI_CORS_ORIGINS", "http://127.0.0.1:" + corsPort);
        // Run as FC runs the web function: control paths act, anonymous callers are refused.
        config.put("FC_FUNCTION_NAME", "jingnei-web-test");
        return config;
    }

    @Override
    public void stop() {
        System.setOut(original);
        upstream.close();
        s3.close();
    }

    static String output() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    static void clearOutput() {
        synchronized (captured) {
            captured.reset();
        }
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final ByteArrayOutputStream b;

        Tee(OutputStream a, ByteArrayOutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws java.io.IOException {
            a.write(x);
            synchronized (b) {
                b.write(x);
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            synchronized (b) {
                b.write(buf, off, len);
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
        }
    }
}
