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
import io.jingnei.core.util.TimeSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Several upstreams behind one router: failover, key rotation, circuit breakers, fallback chains, deadlines. */
class FailoverTest {
    private static FakeUpstream primary;
    private static FakeUpstream secondary;
    private static SharedHttpClient http;
    private FakeTime time;

    @BeforeAll
    static void start() {
        primary = FakeUpstream.start();
        secondary = FakeUpstream.start();
        http = new SharedHttpClient(32, Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        http.close();
        primary.close();
        secondary.close();
    }

    @BeforeEach
    void clock() {
        time = new FakeTime();
        Routing.LOG.clear();
    }

    @AfterEach
    void clear() {
        primary.reset();
        secondary.reset();
        primary.expectKey(FakeUpstream.KEY);
    }

    private static String upstream(String name, FakeUpstream fake, String keys, String models, String extra) {
        return "{\"name\":\"" + name + "\",\"base_url\":\"" + fake.baseUrl() + "\",\"api_keys\":" + keys + ",\"models\":" + models
                + (extra == null ? "" : "," + extra) + "}";
    }

    private Router router(String upstreams, String... more) {
        String[] pairs = new String[more.length + 2];
        pairs[0] = "JINGNEI_UPSTREAMS";
        pairs[1] = upstreams;
        System.arraycopy(more, 0, pairs, 2, more.length);
        return Routing.router(http, time, Routing.env(pairs));
    }

    private static ObjectNode body(String model) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("model", model);
        body.putArray("messages").addObject().put("role", "user").put("content", "你好");
        return body;
    }

    private static final String KEY = "[\"" + FakeUpstream.KEY + "\"]";
    private static final String ALL = "[\"*\"]";

    @Test
    void a_dead_primary_is_skipped_at_once_and_left_alone_once_its_circuit_opens() throws Exception {
        primary.fallback(Reply.error(500, "server_error", null, "internal error"));
        Router router = router("[" + upstream("primary", primary, KEY, ALL, null) + "," + upstream("secondary", secondary, KEY, ALL, null) + "]");

        for (int i = 0; i < 10; i++) {
            CallTrace trace = new CallTrace();
            ObjectNode answer = router.complete(body("deepseek-v3.2"), trace).get(10, TimeUnit.SECONDS);
            assertThat(answer.path("choices").path(0).path("message").path("content").asText()).isNotEmpty();
            assertThat(trace.list().get(trace.attempts() - 1).upstream).isEqualTo("secondary");
        }

        assertThat(primary.completionRequests()).as("the breaker opens after 5 failures").hasSize(5);
        assertThat(secondary.completionRequests()).hasSize(10);
        assertThat(time.delays()).as("failing over needs no backoff").isEmpty();
        assertThat(Routing.LOG).anyMatch(line -> line.contains("upstream circuit opened") && line.contains("primary"));
    }

    @Test
    void after_the_open_period_one_probe_decides_and_a_recovered_upstream_is_used_again() throws Exception {
        primary.fallback(Reply.error(503, "server_error", null, "overloaded"));
        Router router = router("[" + upstream("primary", primary, KEY, ALL, null) + "," + upstream("secondary", secondary, KEY, ALL, null) + "]",
                "JINGNEI_BREAKER_FAILURES", "2", "JINGNEI_BREAKER_OPEN", "30s");
        for (int i = 0; i < 3; i++) {
            router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS);
        }
        assertThat(primary.completionRequests()).hasSize(2);

        primary.fallback(Reply.completion("primary is back", 1, 1));
        time.delay(Duration.ofSeconds(31));
        CallTrace probe = new CallTrace();
        router.complete(body("deepseek-v3.2"), probe).get(10, TimeUnit.SECONDS);

        assertThat(probe.list().get(0).upstream).isEqualTo("primary");
        assertThat(probe.list().get(0).status).isEqualTo("200");
        assertThat(primary.completionRequests()).hasSize(3);
    }

    @Test
    void a_rejected_key_is_set_aside_logged_once_and_not_tried_on_the_next_calls() throws Exception {
        String bad = "sk-revoked-key-5555555555";
        Router router = router("[" + upstream("holysheep", primary, "[\"" + bad + "\",\"" + FakeUpstream.KEY + "\"]", ALL, null) + "]");

        for (int i = 0; i < 4; i++) {
            router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS);
        }

        long withBadKey = primary.completionRequests().stream().filter(r -> ("Bearer " + bad).equals(r.headers.get("authorization"))).count();
        assertThat(withBadKey).isEqualTo(1);
        assertThat(Routing.LOG.stream().filter(line -> line.contains("upstream key rejected"))).hasSize(1);
        assertThat(String.join("\n", Routing.LOG)).doesNotContain(bad).doesNotContain("revoked-key").contains("\"key_number\":1");
    }

    @Test
    void a_set_aside_key_is_tried_again_once_the_key_cooldown_has_passed() throws Exception {
        String bad = "sk-revoked-key-5555555555";
        Router router = router("[" + upstream("holysheep", primary, "[\"" + bad + "\",\"" + FakeUpstream.KEY + "\"]", ALL, null) + "]",
                "JINGNEI_KEY_COOLDOWN", "10m");
        java.util.function.LongSupplier triesWithBadKey = () -> primary.completionRequests().stream()
                .filter(r -> ("Bearer " + bad).equals(r.headers.get("authorization"))).count();

        for (int i = 0; i < 3; i++) {
            router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS);
        }
        assertThat(triesWithBadKey.getAsLong()).isEqualTo(1);

        time.advance(java.time.Duration.ofMinutes(9));
        for (int i = 0; i < 3; i++) {
            router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS);
        }
        assertThat(triesWithBadKey.getAsLong()).as("still resting after 9 minutes").isEqualTo(1);

        time.advance(java.time.Duration.ofMinutes(2));
        for (int i = 0; i < 3; i++) {
            router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS);
        }
        assertThat(triesWithBadKey.getAsLong()).as("tried again after the cooldown, and set aside again").isEqualTo(2);
    }

    @Test
    void a_key_answered_429_rests_for_its_retry_after_on_the_next_calls_too() throws Exception {
        primary.expectKey(null);
        primary.enqueue(Reply.rateLimited("20"));
        Router router = router("[" + upstream("holysheep", primary, "[\"sk-key-one-1111111\",\"sk-key-two-2222222\"]", ALL, null) + "]");

        for (int i = 0; i < 4; i++) {
            router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS);
        }
        String rested = primary.completionRequests().get(0).headers.get("authorization");
        assertThat(primary.completionRequests().subList(1, 5)).extracting(r -> r.headers.get("authorization"))
                .as("the 429'd key rests for its Retry-After").doesNotContain(rested);

        time.advance(java.time.Duration.ofSeconds(21));
        for (int i = 0; i < 2; i++) {
            router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS);
        }
        assertThat(primary.completionRequests().subList(5, 7)).extracting(r -> r.headers.get("authorization"))
                .as("back in rotation after it").contains(rested);
    }

    @Test
    void keys_rotate_and_a_429_moves_on_to_the_next_key_without_waiting() throws Exception {
        primary.expectKey(null);
        primary.enqueue(Reply.rateLimited("20"));
        Router router = router("[" + upstream("holysheep", primary, "[\"sk-key-one-1111111\",\"sk-key-two-2222222\"]", ALL, null) + "]");

        CallTrace trace = new CallTrace();
        router.complete(body("deepseek-v3.2"), trace).get(10, TimeUnit.SECONDS);

        assertThat(trace.attempts()).isEqualTo(2);
        assertThat(time.delays()).isEmpty();
        assertThat(primary.completionRequests().get(0).headers.get("authorization"))
                .isNotEqualTo(primary.completionRequests().get(1).headers.get("authorization"));
    }

    @Test
    void the_retry_budget_spans_calls_so_a_failing_upstream_is_retried_for_the_first_call_only() throws Exception {
        primary.fallback(Reply.error(503, "server_error", null, "overloaded"));
        Router router = router("[" + upstream("only", primary, KEY, ALL, null) + "]", "JINGNEI_BREAKER_FAILURES", "100");

        JingneiException first = failure(() -> router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS));
        assertThat(primary.completionRequests()).as("one request and its 3 retries").hasSize(4);
        failure(() -> router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS));
        failure(() -> router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS));
        assertThat(primary.completionRequests()).as("the budget (3 retries, or 20 % of requests) is spent").hasSize(6);

        time.advance(Duration.ofSeconds(11));
        failure(() -> router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS));
        assertThat(primary.completionRequests()).as("a new window, a new budget").hasSize(10);
        assertThat(first.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
    }

    @Test
    void a_caller_that_says_it_is_retrying_gets_no_retry_of_the_same_upstream_but_still_fails_over() throws Exception {
        primary.fallback(Reply.error(503, "server_error", null, "overloaded"));
        Router alone = router("[" + upstream("only", primary, KEY, ALL, null) + "]");
        CallTrace retrying = new CallTrace();
        retrying.callerRetrying(true);

        failure(() -> alone.complete(body("deepseek-v3.2"), retrying).get(10, TimeUnit.SECONDS));
        assertThat(primary.completionRequests()).hasSize(1);

        Router two = router("[" + upstream("primary", primary, KEY, ALL, null) + "," + upstream("secondary", secondary, KEY, ALL, null) + "]");
        CallTrace again = new CallTrace();
        again.callerRetrying(true);
        ObjectNode answer = two.complete(body("deepseek-v3.2"), again).get(10, TimeUnit.SECONDS);
        assertThat(answer.path("choices").path(0).path("message").path("content").asText()).isNotEmpty();
    }

    @Test
    void once_the_breaker_is_open_the_answer_is_503_at_once_with_when_the_probe_is_due() throws Exception {
        primary.fallback(Reply.error(500, "server_error", null, "internal error"));
        Router router = router("[" + upstream("only", primary, KEY, ALL, null) + "]",
                "JINGNEI_BREAKER_FAILURES", "2", "JINGNEI_BREAKER_OPEN", "30s");
        failure(() -> router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS));
        int before = primary.completionRequests().size();
        time.advance(Duration.ofSeconds(10));

        UpstreamException open = (UpstreamException) failure(() -> router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS));

        assertThat(open.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
        assertThat(open.kind().httpStatus).isEqualTo(503);
        assertThat(open.retryAfter()).hasValueSatisfying(wait -> assertThat(wait.toSeconds()).isBetween(19L, 20L));
        assertThat(primary.completionRequests()).as("no call while open").hasSize(before);
    }

    @Test
    void each_failed_probe_doubles_the_open_period_up_to_ten_times_and_a_success_resets_it() throws Exception {
        primary.fallback(Reply.error(500, "server_error", null, "internal error"));
        Router router = router("[" + upstream("only", primary, KEY, ALL, "\"max_retries\":0") + "]",
                "JINGNEI_BREAKER_FAILURES", "1", "JINGNEI_BREAKER_OPEN", "30s");
        failure(() -> router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS));
        java.util.List<Long> untilProbe = new java.util.ArrayList<>();
        for (int probe = 0; probe < 5; probe++) {
            UpstreamException open = (UpstreamException) failure(() -> router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS));
            untilProbe.add(open.retryAfter().orElseThrow().toSeconds());
            time.advance(open.retryAfter().orElseThrow());
            failure(() -> router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS)); // the probe fails
        }
        assertThat(untilProbe).containsExactly(30L, 60L, 120L, 240L, 300L);
        assertThat(primary.completionRequests()).as("the first call and one probe per period").hasSize(6);

        primary.fallback(Reply.completion("back", 1, 1));
        time.advance(Duration.ofSeconds(300));
        router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS);
        primary.fallback(Reply.error(500, "server_error", null, "internal error"));
        failure(() -> router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS));
        UpstreamException open = (UpstreamException) failure(() -> router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS));
        assertThat(open.retryAfter().orElseThrow().toSeconds()).as("reset by the success").isEqualTo(30L);
    }

    @Test
    void a_retry_after_longer_than_the_max_retry_wait_goes_back_to_the_caller_and_the_resting_key_answers_429() throws Exception {
        primary.enqueue(Reply.rateLimited("20"));
        Router router = router("[" + upstream("only", primary, KEY, ALL, null) + "]", "JINGNEI_MAX_RETRY_WAIT", "3s");

        UpstreamException limited = (UpstreamException) failure(() -> router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS));
        assertThat(limited.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(limited.retryAfter()).hasValue(Duration.ofSeconds(20));
        assertThat(time.delays()).as("no sleeping inside the request").isEmpty();

        time.advance(Duration.ofSeconds(5));
        UpstreamException resting = (UpstreamException) failure(() -> router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS));
        assertThat(resting.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(resting.retryAfter()).hasValue(Duration.ofSeconds(15));
        assertThat(primary.completionRequests()).as("the resting key is not used").hasSize(1);

        time.advance(Duration.ofSeconds(16));
        router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS);
        assertThat(primary.completionRequests()).hasSize(2);
    }

    @Test
    void a_short_retry_after_is_waited_for_inside_the_request() throws Exception {
        primary.enqueue(Reply.rateLimited("2"));
        Router router = router("[" + upstream("only", primary, KEY, ALL, null) + "]", "JINGNEI_MAX_RETRY_WAIT", "3s");

        router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS);

        assertThat(time.delays()).containsExactly(Duration.ofSeconds(2));
        assertThat(primary.completionRequests()).hasSize(2);
    }

    @Test
    void when_every_upstream_of_a_model_fails_the_next_model_of_its_chain_answers() throws Exception {
        primary.fallback(Reply.error(503, "server_error", null, "claude is down"));
        Router router = router("[" + upstream("anthropic-proxy", primary, KEY, "[\"claude-sonnet-4.5\"]", "\"max_retries\":0") + ","
                        + upstream("deepseek", secondary, KEY, "[\"deepseek-v3.2\"]", null) + "]",
                "JINGNEI_FALLBACK", "claude-sonnet-4.5>deepseek-v3.2");

        CallTrace trace = new CallTrace();
        ObjectNode answer = router.complete(body("claude-sonnet-4.5"), trace).get(10, TimeUnit.SECONDS);

        assertThat(answer.path("model").asText()).isEqualTo("deepseek-v3.2");
        assertThat(trace.list()).extracting(a -> a.upstream + "/" + a.model + "/" + a.status)
                .containsExactly("anthropic-proxy/claude-sonnet-4.5/503", "deepseek/deepseek-v3.2/200");
        assertThat(secondary.completionRequests().get(0).json().path("model").asText()).isEqualTo("deepseek-v3.2");
    }

    @Test
    void every_5xx_moves_on_to_the_next_upstream_not_only_500_502_503() throws Exception {
        for (int status : new int[] {501, 520, 524, 529}) {
            primary.reset();
            secondary.reset();
            primary.fallback(Reply.error(status, "server_error", null, "overloaded"));
            Router router = router("[" + upstream("primary", primary, KEY, ALL, null) + "," + upstream("secondary", secondary, KEY, ALL, null) + "]");

            CallTrace trace = new CallTrace();
            ObjectNode answer = router.complete(body("deepseek-v3.2"), trace).get(10, TimeUnit.SECONDS);

            assertThat(answer.path("choices").path(0).path("message").path("content").asText()).as("HTTP " + status).isNotEmpty();
            assertThat(trace.list()).extracting(a -> a.upstream + "/" + a.status).as("HTTP " + status)
                    .containsExactly("primary/" + status, "secondary/200");
        }
    }

    @Test
    void a_request_error_is_not_retried_elsewhere_and_keeps_the_upstream_code_and_param() {
        primary.enqueue(Reply.json(400, "{\"error\":{\"message\":\"This model's maximum context length is 65536 tokens\","
                + "\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\",\"param\":\"messages\"}}"));
        Router router = router("[" + upstream("primary", primary, KEY, ALL, null) + "," + upstream("secondary", secondary, KEY, ALL, null) + "]");

        JingneiException error = failure(() -> router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS));

        assertThat(error.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        UpstreamException upstream = (UpstreamException) error;
        assertThat(upstream.upstreamCode()).contains("context_length_exceeded");
        assertThat(upstream.upstreamParam()).contains("messages");
        assertThat(secondary.completionRequests()).isEmpty();
    }

    @Test
    void model_map_renames_the_model_for_one_upstream_and_answers_keep_our_name() throws Exception {
        secondary.models("deepseek-chat");
        Router router = router("[" + upstream("deepseek", secondary, KEY, "[\"deepseek-v3.2\"]",
                "\"model_map\":{\"deepseek-v3.2\":\"deepseek-chat\"}") + "]");

        ObjectNode answer = router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS);

        assertThat(secondary.completionRequests().get(0).json().path("model").asText()).isEqualTo("deepseek-chat");
        assertThat(answer.path("model").asText()).isEqualTo("deepseek-v3.2");
    }

    @Test
    void the_whole_call_keeps_to_the_deadline_however_many_retries_are_left() {
        primary.fallback(Reply.hang(5_000));
        Router router = Routing.router(http, TimeSource.system(), Routing.env("JINGNEI_UPSTREAMS",
                "[" + upstream("slow", primary, KEY, ALL, "\"timeout\":\"3s\"") + "]", "JINGNEI_LLM_DEADLINE", "800ms",
                "JINGNEI_LLM_MAX_RETRIES", "5"));
        long start = System.nanoTime();

        JingneiException error = failure(() -> router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS));

        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(error.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(elapsedMs).as("the call ends at its deadline, not after 5 retries of 3 s").isLessThan(2_500);
    }

    @Test
    void a_stream_fails_over_before_its_first_chunk_but_never_after_it() {
        primary.enqueue(Reply.error(502, "server_error", null, "bad gateway"));
        secondary.enqueue(Reply.stream(0, "ok"));
        Router router = router("[" + upstream("primary", primary, KEY, ALL, null) + "," + upstream("secondary", secondary, KEY, ALL, null) + "]");
        CollectingSubscriber<ObjectNode> before = new CollectingSubscriber<>();
        router.stream(body("deepseek-v3.2"), new CallTrace()).subscribe(before);
        assertThat(before.await()).isNull();
        assertThat(secondary.completionRequests()).hasSize(1);

        primary.enqueue(Reply.stream(10, "a", "b", "c", "d").resetAfter(3));
        CollectingSubscriber<ObjectNode> after = new CollectingSubscriber<>();
        CallTrace trace = new CallTrace();
        router.stream(body("deepseek-v3.2"), trace).subscribe(after);

        assertThat(after.await()).isInstanceOf(JingneiException.class);
        assertThat(after.items).hasSize(3);
        assertThat(secondary.completionRequests()).as("no retry once chunks went out").hasSize(1);
    }

    @Test
    void a_key_echoed_by_an_upstream_error_never_reaches_the_message_even_past_the_truncation_point() {
        String filler = "x".repeat(400);
        primary.enqueue(Reply.error(400, "invalid_request_error", null, filler + " request had Authorization: Bearer " + FakeUpstream.KEY));
        Router router = router("[" + upstream("primary", primary, KEY, ALL, "\"max_retries\":0") + "]");

        JingneiException error = failure(() -> router.complete(body("deepseek-v3.2"), new CallTrace()).get(10, TimeUnit.SECONDS));

        assertThat(error.getMessage()).doesNotContain(FakeUpstream.KEY).doesNotContain("sk-test-0123").doesNotContain("0123456789abcdef");
    }

    @Test
    void an_error_event_mid_stream_that_quotes_the_key_is_redacted() {
        primary.enqueue(Reply.sse(java.util.List.of(
                "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}",
                "{\"error\":{\"message\":\"upstream failed for request with header Authorization: Bearer " + FakeUpstream.KEY
                        + " and key " + FakeUpstream.KEY.substring(0, 16) + "\",\"type\":\"server_error\"}}"), 0, -1));
        Router router = router("[" + upstream("primary", primary, KEY, ALL, null) + "]");
        CollectingSubscriber<ObjectNode> subscriber = new CollectingSubscriber<>();

        router.stream(body("deepseek-v3.2"), new CallTrace()).subscribe(subscriber);

        Throwable error = subscriber.await();
        assertThat(error).isInstanceOf(JingneiException.class);
        assertThat(error.getMessage()).contains("mid-stream").doesNotContain(FakeUpstream.KEY).doesNotContain("sk-test-0123");
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static JingneiException failure(Call call) {
        try {
            call.run();
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(JingneiException.class);
            return (JingneiException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return fail("expected the call to fail");
    }
}
