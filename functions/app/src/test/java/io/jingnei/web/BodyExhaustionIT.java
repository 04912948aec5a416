package io.jingnei.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Memory attacks on the packaged app at -Xmx256m (it exits on OutOfMemoryError, so "alive" means
 * none happened): bodies are kept only for admitted requests, within the instance's body budget and
 * the body timeout, and what the gate refuses is never read.
 */
class BodyExhaustionIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "ck-body-attack-0001";
    private static final int MIB = 1 << 20;
    private static FakeUpstream upstream;
    private static AppProcess app;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start();
        upstream.fallback(Reply.completion("您好，请问有什么可以帮您？", 12, 8));
        app = AppProcess.start(Map.of("JINGNEI_LLM_BASE_URL", upstream.baseUrl(), "JINGNEI_LLM_API_KEY", FakeUpstream.KEY,
                        "JINGNEI_CLIENT_KEYS", KEY + ":shop-a", "JINGNEI_CACHE", "off",
                        "JINGNEI_MAX_INFLIGHT_BODY_BYTES", "32M", "JINGNEI_BODY_TIMEOUT", "3s"),
                List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"), true);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void sixty_unauthenticated_unfinished_bodies_leave_health_and_chat_answering() throws Exception {
        List<RawHttp> attackers = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(60);
        try {
            List<Future<Long>> sent = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                RawHttp attacker = new RawHttp(app.port);
                attackers.add(attacker);
                attacker.head("POST /chat HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: " + 6 * MIB);
                sent.add(senders.submit(() -> sendBody(attacker, 5 * MIB)));
            }
            long accepted = 0;
            for (Future<Long> f : sent) {
                accepted = Math.max(accepted, f.get());
            }

            long healthStart = System.nanoTime();
            HttpResponse<String> health = app.get("/health", null);
            long healthMs = (System.nanoTime() - healthStart) / 1_000_000;
            long chatStart = System.nanoTime();
            HttpResponse<String> chat = app.post("/chat", KEY, "{\"query\":\"你好\"}");
            long chatMs = (System.nanoTime() - chatStart) / 1_000_000;
            System.out.println("[figure] with 60 unauthenticated 6 MiB bodies open (" + accepted / 1024
                    + " KiB the most any got into the socket): /health " + healthMs + " ms, /chat " + chatMs + " ms");

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(chat.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(chat.body()).path("content").asText()).contains("您好");
            for (RawHttp attacker : attackers.subList(0, 5)) {
                String answer = attacker.response();
                assertThat(answer.isEmpty() || RawHttp.status(answer) == 401).as(answer).isTrue();
            }
            assertThat(app.alive()).as("the instance exits on OutOfMemoryError").isTrue();
            assertThat(app.logText()).doesNotContain("OutOfMemoryError");
        } finally {
            senders.shutdownNow();
            for (RawHttp attacker : attackers) {
                attacker.close();
            }
        }
    }

    @Test
    void a_get_with_a_huge_body_is_answered_without_reading_it() throws Exception {
        try (RawHttp get = new RawHttp(app.port)) {
            get.head("GET /health HTTP/1.1\nHost: x\nContent-Length: " + 6 * MIB);
            get.body(new byte[64 * 1024]);

            String answer = get.response();

            assertThat(RawHttp.status(answer)).isEqualTo(200);
            assertThat(answer.toLowerCase()).contains("connection: close");
        }
        assertThat(app.get("/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void admitted_bodies_beyond_the_budget_are_refused_with_503_and_the_budget_comes_back() throws Exception {
        List<RawHttp> holders = new ArrayList<>();
        try {
            // 32 MiB of budget: five declared 6 MiB bodies fit; the other three are refused before a byte is read.
            for (int i = 0; i < 8; i++) {
                RawHttp holder = new RawHttp(app.port);
                holders.add(holder);
                holder.head("POST /chat HTTP/1.1\nHost: x\nAuthorization: Bearer " + KEY + "\nContent-Type: application/json\nContent-Length: " + 6 * MIB);
            }
            Thread.sleep(500);
            assertThat(app.post("/chat", KEY, "{\"query\":\"你好\"}").statusCode()).as("a small body still fits").isEqualTo(200);

            List<String> refused = new ArrayList<>();
            int cut = 0;
            for (RawHttp holder : holders) {
                String answer = holder.response();
                if (RawHttp.status(answer) == 503) {
                    refused.add(answer);
                } else if (RawHttp.status(answer) == 408) {
                    cut++;
                }
            }
            assertThat(refused).hasSize(3);
            assertThat(cut).as("the admitted ones waited for bodies that never came").isEqualTo(5);
            for (String answer : refused) {
                JsonNode body = JSON.readTree(RawHttp.body(answer));
                assertThat(body.path("status").asText()).isEqualTo("overloaded");
                assertThat(body.path("error").asText()).contains("JINGNEI_MAX_INFLIGHT_BODY_BYTES");
                assertThat(answer).contains("Retry-After: 1");
            }
        } finally {
            for (RawHttp holder : holders) {
                holder.close();
            }
        }
        // The holders' reservations came back when their answers ended.
        String big = "{\"query\":\"你好\",\"pad\":\"" + "x".repeat(7 * MIB) + "\"}";
        assertThat(app.post("/chat", KEY, big).statusCode()).isNotEqualTo(503);
    }

    @Test
    void a_body_that_stops_half_way_is_cut_after_the_body_timeout() throws Exception {
        try (RawHttp slow = new RawHttp(app.port)) {
            slow.head("POST /chat HTTP/1.1\nHost: x\nAuthorization: Bearer " + KEY + "\nContent-Type: application/json\nContent-Length: 100");
            slow.body("{\"query\":".getBytes());

            String answer = slow.response();

            assertThat(RawHttp.status(answer)).isEqualTo(408);
            assertThat(JSON.readTree(RawHttp.body(answer)).path("error").asText()).contains("JINGNEI_BODY_TIMEOUT");
        }
        assertThat(app.post("/chat", KEY, "{\"query\":\"你好\"}").statusCode()).isEqualTo(200);
    }

    private static long sendBody(RawHttp attacker, int bytes) {
        byte[] piece = new byte[64 * 1024];
        long sent = 0;
        while (sent < bytes && attacker.body(piece)) {
            sent += piece.length;
        }
        return sent;
    }
}
