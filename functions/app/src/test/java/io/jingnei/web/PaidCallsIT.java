package io.jingnei.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every call is paid for, through the packaged app with per-instance limits (the Redis store's
 * same rules are QuotasOnRedisIT's): the attacks of the third security review fail and the
 * legitimate calls beside them still work. Each test has its own client key, so its counters start
 * from zero.
 */
class PaidCallsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeUpstream upstream;
    private static AppProcess app;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start();
        upstream.models("deepseek-v3.2", "o1-pro");
        Map<String, String> env = new HashMap<>();
        env.put("JINGNEI_LLM_BASE_URL", upstream.baseUrl());
        env.put("JINGNEI_LLM_API_KEY", FakeUpstream.KEY);
        env.put("JINGNEI_CLIENT_KEYS", "ck-unpriced-0001:unpriced-user,ck-burst-000002:burst-user,ck-cancel-00003:cancel-user");
        env.put("JINGNEI_LIMITS", "unpriced-user:cny_day=0.0001;burst-user:cny_day=0.002;cancel-user:cny_day=5");
        app = AppProcess.start(env);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
        upstream.models("deepseek-v3.2", "o1-pro");
    }

    private static String body(String model, int promptChars, String extra) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "长".repeat(promptChars) + "\"}]" + extra + "}";
    }

    @Test
    void a_model_without_a_price_is_not_free_under_a_budget() throws Exception {
        upstream.fallback(Reply.completion("好的", 20, 2));

        HttpResponse<String> attack = app.post("/v1/chat/completions", "ck-unpriced-0001", body("o1-pro", 20_000, ""));

        assertThat(attack.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(attack.body()).path("error");
        assertThat(error.path("param").asText()).isEqualTo("model");
        assertThat(error.path("message").asText()).contains("'o1-pro'", "JINGNEI_PRICES", "JINGNEI_DEFAULT_PRICE");
        assertThat(upstream.completionRequests()).as("nothing went upstream").isEmpty();
        assertThat(app.post("/v1/chat/completions", "ck-unpriced-0001", body("deepseek-v3.2", 10, "")).statusCode()).isEqualTo(200);
        assertThat(app.logText()).as("start-up names the unpriced model the upstream lists").contains("listed by the upstreams")
                .contains("o1-pro");
    }

    @Test
    void fifteen_concurrent_calls_cannot_spend_past_the_budget_by_more_than_one_reservation() throws Exception {
        // Each call: 2,000 prompt characters and max_tokens 1,000 reserve $0.0007 of deepseek-v3.2 (¥1 a dollar);
        // the upstream bills that much and takes its time, so all fifteen are in flight at once.
        upstream.fallback(Reply.completion("好的", 2000, 1000).after(1500));
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            String json = body("deepseek-v3.2", 2000, ",\"max_tokens\":1000,\"temperature\":0." + i);
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return app.post("/v1/chat/completions", "ck-burst-000002", json);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get(60, TimeUnit.SECONDS);
            statuses.add(response.statusCode());
            if (response.statusCode() == 429) {
                assertThat(JSON.readTree(response.body()).path("error").path("message").asText()).contains("calls in flight");
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
            }
        }

        assertThat(statuses.stream().filter(s -> s == 200).count()).as("¥0.002 holds two reservations of ¥0.0007").isEqualTo(2);
        assertThat(statuses.stream().filter(s -> s == 429).count()).isEqualTo(13);
        JsonNode usage = JSON.readTree(app.get("/v1/usage", "ck-burst-000002").body());
        assertThat(usage.path("today").path("spent_cny").decimalValue()).isLessThanOrEqualTo(new java.math.BigDecimal("0.0027"));

        HttpResponse<String> later = app.post("/v1/chat/completions", "ck-burst-000002", body("deepseek-v3.2", 10, ",\"max_tokens\":100"));
        assertThat(later.statusCode()).as("alone again, within the budget: admitted").isEqualTo(200);
    }

    @Test
    void a_stream_dropped_before_its_first_chunk_is_still_charged_and_logged_with_its_attempt() throws Exception {
        upstream.enqueue(Reply.stream(10, "退款", "在商家").after(3000));
        String json = body("deepseek-v3.2", 500, ",\"stream\":true");
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), app.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ck-cancel-00003\r\n"
                    + "Content-Type: application/json\r\nx-request-id: early-drop-1\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (upstream.completionRequests().isEmpty() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
        } // the client goes away before the first chunk

        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String line = null;
        while (line == null && System.nanoTime() < until) {
            line = app.logText().lines().filter(l -> l.contains("\"request_id\":\"early-drop-1\"") && l.contains("\"status\"")).findFirst()
                    .orElse(null);
            Thread.sleep(20);
        }
        JsonNode logged = JSON.readTree(line);
        assertThat(logged.path("status").asText()).isEqualTo("cancelled");
        assertThat(logged.path("usage_estimated").asBoolean()).isTrue();
        assertThat(logged.path("prompt_tokens").asLong()).isEqualTo(500);
        assertThat(logged.path("attempts")).hasSize(1);
        JsonNode usage = JSON.readTree(app.get("/v1/usage", "ck-cancel-00003").body());
        assertThat(usage.path("today").path("spent_cny").decimalValue()).isPositive();

        upstream.enqueue(Reply.stream(0, "退款", "在商家"));
        HttpResponse<String> whole = app.post("/v1/chat/completions", "ck-cancel-00003", json);
        assertThat(whole.body()).contains("在商家").contains("[DONE]");
    }
}
