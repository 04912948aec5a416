package io.jingnei.core.llm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.call.CallTrace;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.http.SharedHttpClient;
import io.jingnei.core.testing.CollectingSubscriber;
import io.jingnei.core.testing.FakeTime;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** One upstream, as the single-upstream settings define it: retries, timeouts and streams through the router. */
class RouterTest {
    private static FakeUpstream upstream;
    private static SharedHttpClient http;
    private final FakeTime time = new FakeTime();

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start();
        http = new SharedHttpClient(16, Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        http.close();
        upstream.close();
    }

    @AfterEach
    void clear() {
        upstream.reset();
    }

    private Router client(String baseUrl, String key, int retries, Duration responseTimeout, Duration deadline) {
        return Routing.router(http, time, Routing.env("JINGNEI_LLM_BASE_URL", baseUrl, "JINGNEI_LLM_API_KEY", key,
                "JINGNEI_LLM_MAX_RETRIES", String.valueOf(retries), "JINGNEI_LLM_RESPONSE_TIMEOUT", responseTimeout.toMillis() + "ms",
                "JINGNEI_LLM_DEADLINE", deadline.toMillis() + "ms", "JINGNEI_STREAM_IDLE_TIMEOUT", "500ms",
                "JINGNEI_LLM_RETRY_BASE_DELAY", "200ms", "JINGNEI_LLM_RETRY_MAX_DELAY", "2s"));
    }

    private Router client() {
        return client(upstream.baseUrl(), FakeUpstream.KEY, 3, Duration.ofSeconds(5), Duration.ofSeconds(60));
    }

    private static ObjectNode body() {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("model", "deepseek-v3.2");
        body.putArray("messages").addObject().put("role", "user").put("content", "你好");
        return body;
    }

    @Test
    void retries_after_429_and_honours_retry_after() throws Exception {
        upstream.enqueue(Reply.rateLimited("1"), Reply.rateLimited("1"), Reply.completion("好的", 10, 2));
        CallTrace trace = new CallTrace();

        ObjectNode answer = client().complete(body(), trace).get(5, TimeUnit.SECONDS);

        assertThat(answer.path("choices").path(0).path("message").path("content").asText()).isEqualTo("好的");
        assertThat(trace.attempts()).isEqualTo(3);
        assertThat(time.delays()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThat(upstream.completionRequests()).hasSize(3);
    }

    @Test
    void retries_503_with_backoff_then_succeeds() throws Exception {
        upstream.enqueue(Reply.error(503, "server_error", null, "overloaded"), Reply.completion("ok", 1, 1));
        CallTrace trace = new CallTrace();

        client().complete(body(), trace).get(5, TimeUnit.SECONDS);

        assertThat(trace.attempts()).isEqualTo(2);
        assertThat(time.delays()).containsExactly(Duration.ofMillis(150));
    }

    @Test
    void does_not_retry_a_bad_key_and_never_repeats_it() {
        JingneiException error = failure(client(upstream.baseUrl(), "sk-wrong-key-987654321", 3, Duration.ofSeconds(5), Duration.ofSeconds(60))
                .complete(body(), new CallTrace()));

        assertThat(error.kind()).isEqualTo(ErrorKind.AUTH_ERROR);
        assertThat(error.getMessage()).contains("JINGNEI_LLM_API_KEY").doesNotContain("sk-wrong-key-987654321").doesNotContain("987654321");
        assertThat(((UpstreamException) error).upstreamCode()).contains("invalid_api_key");
        assertThat(upstream.completionRequests()).hasSize(1);
    }

    @Test
    void an_unknown_model_is_model_not_found_and_not_retried() {
        ObjectNode body = body().put("model", "gpt-9");
        JingneiException error = failure(client().complete(body, new CallTrace()));

        assertThat(error.kind()).isEqualTo(ErrorKind.MODEL_NOT_FOUND);
        assertThat(error.getMessage()).contains("gpt-9");
        assertThat(upstream.completionRequests()).hasSize(1);
    }

    @Test
    void a_slow_answer_past_the_response_timeout_is_a_timeout() {
        upstream.enqueue(Reply.hang(3_000));
        JingneiException error = failure(client(upstream.baseUrl(), FakeUpstream.KEY, 0, Duration.ofMillis(300), Duration.ofSeconds(60))
                .complete(body(), new CallTrace()));

        assertThat(error.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(error.getMessage()).contains("300 ms");
    }

    @Test
    void a_reset_connection_is_retried() throws Exception {
        upstream.enqueue(Reply.reset(), Reply.completion("after reset", 1, 1));
        CallTrace trace = new CallTrace();

        ObjectNode answer = client().complete(body(), trace).get(5, TimeUnit.SECONDS);

        assertThat(answer.path("choices").path(0).path("message").path("content").asText()).isEqualTo("after reset");
        assertThat(trace.attempts()).isEqualTo(2);
    }

    @Test
    void malformed_json_from_the_upstream_is_an_upstream_error() {
        upstream.enqueue(Reply.json(200, "{\"choices\": [oops"));
        JingneiException error = failure(client().complete(body(), new CallTrace()));

        assertThat(error.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
        assertThat(error.getMessage()).contains("malformed JSON");
    }

    @Test
    void an_upstream_that_is_down_fails_after_the_retries() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        CallTrace trace = new CallTrace();
        JingneiException error = failure(client("http://127.0.0.1:" + closedPort + "/v1", FakeUpstream.KEY, 2, Duration.ofSeconds(1), Duration.ofSeconds(60))
                .complete(body(), trace));

        assertThat(error.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
        assertThat(error.getMessage()).contains("127.0.0.1");
        assertThat(trace.attempts()).isEqualTo(3);
    }

    @Test
    void a_retry_after_beyond_the_deadline_fails_at_once() {
        upstream.enqueue(Reply.rateLimited("120"));
        CallTrace trace = new CallTrace();
        JingneiException error = failure(client(upstream.baseUrl(), FakeUpstream.KEY, 3, Duration.ofSeconds(5), Duration.ofSeconds(30))
                .complete(body(), trace));

        assertThat(error.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(trace.attempts()).isEqualTo(1);
        assertThat(time.delays()).isEmpty();
    }

    @Test
    void a_missing_key_is_a_clear_error_without_a_request() {
        JingneiException error = failure(client(upstream.baseUrl(), null, 3, Duration.ofSeconds(5), Duration.ofSeconds(60))
                .complete(body(), new CallTrace()));

        assertThat(error.kind()).isEqualTo(ErrorKind.AUTH_ERROR);
        assertThat(error.getMessage()).startsWith("JINGNEI_LLM_API_KEY is not set");
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void streams_chunks_as_they_arrive_and_ends_at_done() {
        upstream.enqueue(Reply.stream(50, "您", "好", "！"));
        CollectingSubscriber<ObjectNode> subscriber = new CollectingSubscriber<>();

        client().stream(body(), new CallTrace()).subscribe(subscriber);

        assertThat(subscriber.await()).isNull();
        assertThat(subscriber.items).hasSize(6); // role, 3 deltas, finish, usage
        assertThat(subscriber.items.get(1).path("choices").path(0).path("delta").path("content").asText()).isEqualTo("您");
        assertThat(subscriber.items.get(5).path("usage").path("completion_tokens").asInt()).isEqualTo(3);
        long spreadMillis = (subscriber.arrivalsNanos.get(5) - subscriber.arrivalsNanos.get(0)) / 1_000_000;
        assertThat(spreadMillis).as("chunks arrive spread out, not in one burst").isGreaterThanOrEqualTo(150);
    }

    @Test
    void a_stream_failing_before_its_first_chunk_is_retried() {
        upstream.enqueue(Reply.error(503, "server_error", null, "busy"), Reply.stream(0, "ok"));
        CallTrace trace = new CallTrace();
        CollectingSubscriber<ObjectNode> subscriber = new CollectingSubscriber<>();

        client().stream(body(), trace).subscribe(subscriber);

        assertThat(subscriber.await()).isNull();
        assertThat(trace.attempts()).isEqualTo(2);
        assertThat(subscriber.items).isNotEmpty();
    }

    @Test
    void a_stream_failing_after_its_first_chunk_ends_with_an_error_and_is_not_retried() {
        upstream.enqueue(Reply.stream(10, "a", "b", "c", "d").resetAfter(3));
        CollectingSubscriber<ObjectNode> subscriber = new CollectingSubscriber<>();

        client().stream(body(), new CallTrace()).subscribe(subscriber);

        Throwable error = subscriber.await();
        assertThat(error).isInstanceOf(JingneiException.class);
        assertThat(((JingneiException) error).kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
        assertThat(subscriber.items).hasSize(3);
        assertThat(upstream.completionRequests()).hasSize(1);
    }

    @Test
    void a_stream_silent_past_the_idle_timeout_ends_with_a_timeout() {
        upstream.enqueue(Reply.stream(2_000, "late"));
        CollectingSubscriber<ObjectNode> subscriber = new CollectingSubscriber<>();

        client(upstream.baseUrl(), FakeUpstream.KEY, 0, Duration.ofSeconds(5), Duration.ofSeconds(60))
                .stream(body(), new CallTrace()).subscribe(subscriber);

        Throwable error = subscriber.await();
        assertThat(error).isInstanceOf(JingneiException.class);
        assertThat(((JingneiException) error).kind()).isEqualTo(ErrorKind.TIMEOUT);
    }

    @Test
    void cancelling_a_stream_aborts_the_upstream_and_returns_the_connection() throws Exception {
        upstream.enqueue(Reply.stream(100, "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"));
        CollectingSubscriber<ObjectNode> subscriber = new CollectingSubscriber<>();

        client().stream(body(), new CallTrace()).subscribe(subscriber);
        waitUntil(() -> subscriber.items.size() >= 2);
        subscriber.cancel();

        waitUntil(() -> upstream.clientDisconnects() == 1);
        waitUntil(() -> http.poolStats().getLeased() == 0);
        assertThat(subscriber.items.size()).isLessThan(8);
    }

    @Test
    void a_whole_answer_whose_caller_went_away_aborts_the_upstream_and_returns_the_connection() throws Exception {
        // A response timeout far beyond the wait, so only the cancel can end the exchange in time.
        Router router = client(upstream.baseUrl(), FakeUpstream.KEY, 3, Duration.ofSeconds(60), Duration.ofSeconds(60));
        router.complete(body(), new CallTrace()).get(5, TimeUnit.SECONDS); // leaves a kept-alive connection in the pool
        waitUntil(() -> http.poolStats().getAvailable() >= 1);
        upstream.reset();
        upstream.enqueue(Reply.hang(20_000));
        CallTrace trace = new CallTrace();

        CompletableFuture<ObjectNode> answer = router.complete(body(), trace); // on the pooled connection
        upstream.awaitCompletionRequests(1);
        trace.cancel();

        upstream.awaitClientDisconnects(1); // the upstream sees us leave, so it stops generating
        waitUntil(() -> http.poolStats().getLeased() == 0);
        assertThat(answer).isCancelled();
        assertThat(trace.list()).singleElement().satisfies(a -> assertThat(a.status).isEqualTo("cancelled"));
        assertThat(upstream.completionRequests()).hasSize(1); // no retry after a cancel
    }

    @Test
    void cancelling_a_stream_before_its_first_chunk_on_a_kept_alive_connection_aborts_the_upstream() throws Exception {
        Router router = client(upstream.baseUrl(), FakeUpstream.KEY, 3, Duration.ofSeconds(60), Duration.ofSeconds(60));
        router.complete(body(), new CallTrace()).get(5, TimeUnit.SECONDS); // leaves a kept-alive connection in the pool
        waitUntil(() -> http.poolStats().getAvailable() >= 1);
        upstream.reset();
        upstream.enqueue(Reply.stream(10, "1", "2").heldUntil(new java.util.concurrent.CountDownLatch(1))); // thinking until we leave
        CollectingSubscriber<ObjectNode> subscriber = new CollectingSubscriber<>();

        router.stream(body(), new CallTrace()).subscribe(subscriber);
        upstream.awaitCompletionRequests(1);
        subscriber.cancel();

        upstream.awaitClientDisconnects(1);
        waitUntil(() -> http.poolStats().getLeased() == 0);
        assertThat(subscriber.items).isEmpty();
    }

    private static JingneiException failure(CompletableFuture<?> future) {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(JingneiException.class);
            return (JingneiException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return fail("expected the call to fail");
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("condition not met within 5 s");
            }
            Thread.sleep(10);
        }
    }
}
