package io.jingnei.core.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import io.jingnei.core.storage.Credentials;
import io.jingnei.core.storage.SigV4Signer;

/**
 * A real S3-compatible server for tests: S3Proxy with its filesystem backend, in its own process on
 * loopback. The jar is copied from Maven Central by the build ({@code s3proxy.jar} property).
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "local-identity";
    public static final String SECRET_KEY = "local-credential-secret";

    private final Process process;
    private final int port;
    public final Path dataDir;

    private S3ProxyServer(Process process, int port, Path dataDir) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
    }

    /** Starts S3Proxy with the given buckets created and waits until it accepts connections. */
    public static S3ProxyServer start(String... buckets) {
        try {
            String jar = System.getProperty("s3proxy.jar");
            if (jar == null || !new File(jar).isFile()) {
                throw new IllegalStateException("s3proxy.jar system property must name the S3Proxy jar (set by the build), got " + jar);
            }
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Path dir = Files.createTempDirectory("s3proxy-");
            Path data = Files.createDirectories(dir.resolve("data"));
            Path properties = dir.resolve("s3proxy.properties");
            Files.write(properties, ("s3proxy.endpoint=http://127.0.0.1:" + port + "\n"
                    + "s3proxy.authorization=aws-v2-or-v4\n"
                    + "s3proxy.identity=" + ACCESS_KEY + "\n"
                    + "s3proxy.credential=" + SECRET_KEY + "\n"
                    // S3 takes single PUTs up to 5 GB; S3Proxy's default stops signed ones at 32 MB.
                    + "s3proxy.v4-max-non-chunked-request-size=2147483647\n"
                    + "s3proxy.max-single-part-object-size=5368709120\n"
                    + "jclouds.provider=filesystem\n"
                    + "jclouds.filesystem.basedir=" + data + "\n").getBytes(StandardCharsets.UTF_8));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(java, "-Xmx1g", "-XX:TieredStopAtLevel=1", "-jar", jar, "--properties", properties.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("s3proxy.log").toFile())
                    .start();
            S3ProxyServer server = new S3ProxyServer(process, port, data);
            server.awaitReady(dir.resolve("s3proxy.log"));
            for (String bucket : buckets) {
                server.createBucket(bucket);
            }
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start S3Proxy", e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The settings that point Jingnei at this server. */
    public Map<String, String> env() {
        return Map.of("JINGNEI_S3_ENDPOINT", endpoint(), "JINGNEI_S3_PATH_STYLE", "true", "JINGNEI_S3_REGION", "us-east-1",
                "JINGNEI_S3_ACCESS_KEY_ID", ACCESS_KEY, "JINGNEI_S3_SECRET_ACCESS_KEY", SECRET_KEY);
    }

    /** PUT Bucket, signed like any other request (the filesystem backend ignores bare directories). */
    public void createBucket(String bucket) {
        try {
            Instant now = Instant.now();
            String host = "127.0.0.1:" + port;
            Map<String, List<String>> headers = new LinkedHashMap<>();
            headers.put("host", List.of(host));
            headers.put("x-amz-date", List.of(SigV4Signer.amzDate(now)));
            headers.put("x-amz-content-sha256", List.of(SigV4Signer.EMPTY_SHA256));
            String authorization = SigV4Signer.authorization(
                    new SigV4Signer.Request("PUT", "/" + bucket, List.of(), headers, SigV4Signer.EMPTY_SHA256),
                    new Credentials(ACCESS_KEY, SECRET_KEY, null), "us-east-1", "s3", now);
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint() + "/" + bucket))
                    .header("x-amz-date", SigV4Signer.amzDate(now))
                    .header("x-amz-content-sha256", SigV4Signer.EMPTY_SHA256)
                    .header("Authorization", authorization)
                    .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("cannot create bucket " + bucket + ": " + response.body());
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot create bucket " + bucket, e);
        }
    }

    private void awaitReady(Path log) throws IOException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited: " + Files.readString(log));
            }
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new IllegalStateException("S3Proxy did not start within 60 s");
    }

    @Override
    public void close() {
        process.destroy();
    }
}
