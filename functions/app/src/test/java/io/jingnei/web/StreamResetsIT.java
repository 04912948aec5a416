package io.jingnei.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Reply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.apache.hc.core5.pool.PoolStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.jingnei.web.FakeUpstreamResource.CLIENT_KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upstream resets every stream mid-way while 200 run at once: each client still gets the
 * final error event, then a cut body (never [DONE], never a clean end), nothing is retried after the first
 * chunk, and every pooled connection the resets broke is given back.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstreamResource.class, restrictToAnnotatedClass = false)
class StreamResetsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STREAMS = 200;
    private static final int RESET_AFTER = 4;
    private static final String OPENAI_BODY = "{\"model\":\"deepseek-v3.2\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String CHAT_BODY = "{\"query\":\"在吗\",\"user_id\":\"u-1\"}";

    @Inject
    JingneiInstance jingnei;

    FakeUpstream upstream;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(executor).connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void reset() {
        upstream = FakeUpstreamResource.upstream;
        upstream.reset();
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
        upstream.reset();
    }

    @Test
    void every_one_of_200_concurrent_streams_reset_mid_way_ends_with_an_error_event_and_no_lease_leaks() throws Exception {
        // The reset comes 300 ms after the 4th event, well under the tests' 1 s stream idle timeout
        // (FakeUpstreamResource), which would end a stream as a timeout first. A reset discards what the
        // app had not read yet, so on a loaded machine a stream may relay fewer than 4 events: what
        // matters is that each relays a prefix of the upstream's events, then the error, never [DONE].
        upstream.fallback(Reply.stream(20, "一", "二", "三", "四", "五", "六", "七", "八", "九", "十").resetAfter(RESET_AFTER, 300));
        PoolStats before = jingnei.http().poolStats();
        int logFrom = FakeUpstreamResource.output().length();

        List<CompletableFuture<Streamed>> calls = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            // Half on the OpenAI surface, half on /chat-stream: both relay through the same responder.
            calls.add(i % 2 == 0 ? post("/v1/chat/completions", OPENAI_BODY) : post("/chat-stream", CHAT_BODY));
        }
        CompletableFuture.allOf(calls.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);

        for (CompletableFuture<Streamed> call : calls) {
            Streamed response = call.get();
            List<String> events = events(response.body);
            assertThat(response.status).as(response.body).isEqualTo(200);
            assertThat(response.cut).as("ends abnormally: " + response.body).isTrue();
            assertThat(events).as(response.body).doesNotContain("[DONE]").hasSizeBetween(1, RESET_AFTER + 1);
            for (int e = 0; e < events.size() - 1; e++) {
                assertThat(JSON.readTree(events.get(e)).has("error")).as(response.body).isFalse();
            }
            JsonNode error = JSON.readTree(events.get(events.size() - 1)).path("error");
            assertThat(error.path("code").asText()).as(response.body).isEqualTo("upstream_error");
            assertThat(error.path("message").asText()).contains("127.0.0.1");
        }
        // No retry once a stream has started: every attempt but a call's last failed before its answer
        // began. (A reset can reach the app before it read even the headers; that call is retried,
        // correctly, and the upstream sees one request more.)
        int attempts = 0;
        int logged = 0;
        for (String line : FakeUpstreamResource.output().substring(logFrom).split("\n")) {
            if (!line.startsWith("{") || !line.contains("\"stream\":true")) {
                continue;
            }
            JsonNode tried = JSON.readTree(line).path("attempts");
            logged++;
            attempts += tried.size();
            for (int a = 0; a < tried.size() - 1; a++) {
                assertThat(tried.get(a).path("status").asText()).as(line).isNotEqualTo("200");
            }
        }
        assertThat(logged).as("one log line per stream").isEqualTo(STREAMS);
        assertThat(upstream.completionRequests()).as("one upstream request per attempt logged").hasSize(attempts);
        StreamingIT.waitUntil(() -> jingnei.http().poolStats().getLeased() == 0 && jingnei.http().poolStats().getPending() == 0);
        PoolStats after = jingnei.http().poolStats();
        System.out.println("StreamResetsIT: pool before " + before + ", after " + after);
        assertThat(after.getLeased()).isEqualTo(before.getLeased()).isZero();
        assertThat(after.getPending()).isEqualTo(before.getPending()).isZero();
        assertThat(after.getMax()).isEqualTo(before.getMax());
    }

    private CompletableFuture<Streamed> post(String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + CLIENT_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        // A cut body fails the send itself; what arrived before is still in the collector.
        java.util.concurrent.atomic.AtomicReference<Streamed.Collector> collector = new java.util.concurrent.atomic.AtomicReference<>();
        return client.sendAsync(request, info -> {
            collector.set(new Streamed.Collector(info.statusCode()));
            return collector.get();
        }).handle((response, failure) -> collector.get()).thenCompose(c -> c.result);
    }

    /** What a client received: the bytes that arrived, and whether the body was cut rather than ended. */
    static final class Streamed {
        final int status;
        final String body;
        final boolean cut;

        Streamed(int status, String body, boolean cut) {
            this.status = status;
            this.body = body;
            this.cut = cut;
        }

        /** Keeps what arrived even when the body fails part-way (a plain ofString would drop it). */
        static final class Collector implements HttpResponse.BodySubscriber<Streamed> {
            private final int status;
            private final java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
            private final CompletableFuture<Streamed> result = new CompletableFuture<>();

            Collector(int status) {
                this.status = status;
            }

            @Override
            public java.util.concurrent.CompletionStage<Streamed> getBody() {
                return result;
            }

            @Override
            public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(List<java.nio.ByteBuffer> buffers) {
                for (java.nio.ByteBuffer buffer : buffers) {
                    byte[] bytes = new byte[buffer.remaining()];
                    buffer.get(bytes);
                    received.writeBytes(bytes);
                }
            }

            @Override
            public void onError(Throwable throwable) {
                result.complete(new Streamed(status, received.toString(java.nio.charset.StandardCharsets.UTF_8), true));
            }

            @Override
            public void onComplete() {
                result.complete(new Streamed(status, received.toString(java.nio.charset.StandardCharsets.UTF_8), false));
            }
        }
    }

    private static List<String> events(String body) {
        List<String> events = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("data: ")) {
                events.add(line.substring(6));
            }
        }
        return events;
    }
}
