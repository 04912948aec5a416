package io.jingnei.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A non-streamed caller that goes away before its answer (it closes its socket while the upstream
 * is still thinking) cancels the upstream call, through the packaged app: the call is logged once
 * as {@code cancelled} with its attempt, is not retried, and
 * charged the prompt estimate, and the next call is answered as usual. Its own upstream and app, so
 * the 20 s hang it scripts cannot hold a connection another test counts on.
 */
class CallerGoneIT {
    private static final String KEY = "ck-caller-gone-0001";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeUpstream upstream;
    private static AppProcess app;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start();
        app = AppProcess.start(Map.of(
                "JINGNEI_LLM_BASE_URL", upstream.baseUrl(),
                "JINGNEI_LLM_API_KEY", FakeUpstream.KEY,
                "JINGNEI_CLIENT_KEYS", KEY + ":gone",
                "JINGNEI_RAG_ENABLED", "false",
                "JINGNEI_CACHE", "off"));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        upstream.close();
    }

    @Test
    void a_v1_caller_that_disconnects_cancels_the_upstream_call_and_is_charged_the_estimate() throws Exception {
        String body = "{\"model\":\"deepseek-v3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a long story about a lighthouse keeper.\"}]}";
        JsonNode line = leaveDuringHang("/v1/chat/completions", body, "chat-completions");

        assertThat(line.path("prompt_tokens").asLong()).as(line.toString()).isPositive();
        assertThat(line.path("completion_tokens").asLong()).isZero();
        assertThat(line.path("cost_usd").asDouble()).as("deepseek-v3.2 is priced").isPositive();

        HttpResponse<String> next = app.post("/v1/chat/completions", KEY, body);
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        assertThat(JSON.readTree(next.body()).path("choices").path(0).path("message").path("content").asText()).isNotEmpty();
    }

    @Test
    void a_chat_caller_that_disconnects_cancels_the_upstream_call_too() throws Exception {
        String body = "{\"query\":\"Where is my parcel?\"}";
        JsonNode line = leaveDuringHang("/chat", body, "chat");
        assertThat(line.path("prompt_tokens").asLong()).as(line.toString()).isPositive();

        HttpResponse<String> next = app.post("/chat", KEY, body);
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
    }

    /** Sends {@code body}, closes the socket once the upstream has the request, and returns the call's log line. */
    private static JsonNode leaveDuringHang(String path, String body, String function) throws Exception {
        int requestsBefore = upstream.completionRequests().size();
        int disconnectsBefore = upstream.clientDisconnects();
        long cancelledBefore = cancelledLines(function).size();
        upstream.enqueue(Reply.hang(20_000));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        int port = Integer.parseInt(app.url("").replaceAll(".*:", ""));
        try (RawHttp caller = new RawHttp(port)) {
            caller.head("POST " + path + " HTTP/1.1\nHost: 127.0.0.1\nAuthorization: Bearer " + KEY
                    + "\nContent-Type: application/json\nContent-Length: " + bytes.length);
            caller.body(bytes);
            upstream.awaitCompletionRequests(requestsBefore + 1);
        } // the caller goes away while the upstream is still thinking (for 20 s)

        upstream.awaitClientDisconnects(disconnectsBefore + 1); // the gateway left the upstream too: it stops generating
        waitUntil(() -> cancelledLines(function).size() == cancelledBefore + 1);
        assertThat(upstream.completionRequests()).as("no retry of a cancelled call").hasSize(requestsBefore + 1);
        JsonNode line = cancelledLines(function).get(cancelledLines(function).size() - 1);
        assertThat(line.path("usage_estimated").asBoolean()).as(line.toString()).isTrue();
        assertThat(line.path("attempts")).hasSize(1);
        assertThat(line.path("attempts").path(0).path("status").asText()).isEqualTo("cancelled");
        String requestId = line.path("request_id").asText();
        assertThat(requestId).isNotEmpty();
        assertThat(app.logText().lines().filter(l -> l.contains(requestId) && l.contains("\"status\"")).count())
                .as("one log line for the call").isEqualTo(1);
        return line;
    }

    private static List<JsonNode> cancelledLines(String function) {
        try {
            return app.logText().lines().filter(l -> l.startsWith("{") && l.contains("\"status\":\"cancelled\""))
                    .map(CallerGoneIT::parse).filter(n -> function.equals(n.path("function").asText())).collect(Collectors.toList());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("condition not met within 5 s");
            }
            Thread.sleep(20);
        }
    }
}
