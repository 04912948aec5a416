package io.jingnei.bench;

import io.jingnei.core.testing.FakeUpstream;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

/** The open-source Portkey gateway on Node, routed to the same fake upstream as an OpenAI custom host. */
final class Portkey {
    private Portkey() {
    }

    static Gateway start(Path root, Path work, String upstreamBaseUrl) throws Exception {
        int port = Processes.freePort();
        Path dir = root.resolve("bench/portkey");
        Process process = Processes.start(dir, Map.of(), work.resolve("portkey.log"), Pinning.onGatewayCore("node", "--require",
                "./bind-loopback.cjs", "node_modules/@portkey-ai/gateway/build/start-server.js", "--port=" + port, "--headless"));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                HttpResponse<String> hey = Processes.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .timeout(java.time.Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (hey.statusCode() == 200) {
                    break;
                }
            } catch (java.io.IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("Portkey did not start; see " + work.resolve("portkey.log"));
                }
                Thread.sleep(50);
            }
        }
        return new Gateway("through Portkey gateway 1.15.2", "http://127.0.0.1:" + port + "/v1",
                Map.of("x-portkey-provider", "openai", "x-portkey-custom-host", upstreamBaseUrl, "Authorization", "Bearer " + FakeUpstream.KEY),
                process);
    }
}
