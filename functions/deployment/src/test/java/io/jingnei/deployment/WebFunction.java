package io.jingnei.deployment;

import io.jingnei.core.testing.CodePackage;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged web function started by its own bootstrap, as FC's custom runtime starts it, on a free port. */
final class WebFunction implements AutoCloseable {
    final CodePackage code;
    final int port;
    private final Process process;
    private final HttpClient client = HttpClient.newHttpClient();

    private WebFunction(CodePackage code, int port, Process process) {
        this.code = code;
        this.port = port;
        this.process = process;
    }

    static WebFunction start(Path zip, Map<String, String> env) throws IOException {
        return start(CodePackage.unzip(zip), env);
    }

    /** Starts an unpacked package (perhaps changed, to break it as a bad build would). */
    static WebFunction start(CodePackage code, Map<String, String> env) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ProcessBuilder start = new ProcessBuilder("bash", code.root.resolve("bootstrap").toString()).redirectErrorStream(true)
                .redirectOutput(code.root.resolve("web.log").toFile());
        start.environment().put("FC_CUSTOM_LISTEN_PORT", String.valueOf(port));
        start.environment().put("JAVA_HOME", System.getProperty("java.home"));
        start.environment().putAll(env);
        return new WebFunction(code, port, start.start());
    }

    String log() throws IOException {
        return Files.readString(code.root.resolve("web.log"));
    }

    /** Waits (up to a minute) until the function serves HTTP; then GET /health. */
    HttpResponse<String> awaitUp() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                return get("/health");
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the web function did not start:\n" + log());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String credential, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A platform control call (/initialize, /pre-stop), marked as FC marks it. */
    HttpResponse<String> control(String path, String method) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("x-fc-control-path", path)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
