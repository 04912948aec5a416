package io.jingnei.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Reply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jingnei.web.FakeUpstreamResource.CLIENT_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

@QuarkusTest
@QuarkusTestResource(value = FakeUpstreamResource.class, restrictToAnnotatedClass = false)
class StreamingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEN = "{\"model\":\"deepseek-v3.2\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String TEN_WITH_USAGE = "{\"model\":\"deepseek-v3.2\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Inject
    JingneiInstance jingnei;

    FakeUpstream upstream;

    @BeforeEach
    void reset() {
        upstream = FakeUpstreamResource.upstream;
        upstream.reset();
        FakeUpstreamResource.clearOutput();
    }

    private static Reply tenChunks(long delayMillis) {
        return Reply.stream(delayMillis, "一", "二", "三", "四", "五", "六", "七", "八", "九", "十");
    }

    @Test
    void chat_stream_answers_event_stream_in_openai_chunks_ending_with_done() throws Exception {
        upstream.enqueue(Reply.stream(10, "您好", "！"));

        SseCall call = SseCall.post("/chat-stream", "{\"query\":\"在吗\",\"user_id\":\"u-1\"}", CLIENT_KEY);

        assertThat(call.response.statusCode()).isEqualTo(200);
        assertThat(call.header("Content-Type")).startsWith("text/event-stream");
        assertThat(call.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(call.header("X-Accel-Buffering")).isEqualTo("no");
        assertThat(call.events.get(call.events.size() - 1)).isEqualTo("[DONE]");
        JsonNode first = JSON.readTree(call.events.get(0));
        for (String field : List.of("id", "object", "created", "model", "choices")) {
            assertThat(first.has(field)).as(field).isTrue();
        }
        JsonNode usage = JSON.readTree(call.events.get(call.events.size() - 2));
        assertThat(usage.path("choices").isArray()).isTrue();
        assertThat(usage.path("usage").path("total_tokens").asInt()).isEqualTo(22);
        assertThat(call.body).doesNotContain("event:");
        assertThat(upstream.completionRequests().get(0).json().path("user").asText()).isEqualTo("shop-a/u-1");
    }

    @Test
    void responses_events_are_named_as_openai_sends_them_and_end_without_done() throws Exception {
        upstream.enqueue(Reply.stream(0, "您好", "！"), tenChunks(10).resetAfter(4));
        String body = "{\"model\":\"deepseek-v3.2\",\"stream\":true,\"input\":\"在吗\"}";

        SseCall whole = SseCall.post("/v1/responses", body, CLIENT_KEY);
        SseCall broken = SseCall.post("/v1/responses", body, CLIENT_KEY);

        assertThat(whole.body).doesNotContain("[DONE]");
        assertThat(eventNames(whole)).first().isEqualTo("response.created");
        assertThat(eventNames(whole)).last().isEqualTo("response.completed");
        assertThat(broken.endedAbruptly).as("no clean end of the chunked body").isTrue();
        assertThat(eventNames(broken)).endsWith("response.failed", "error");
        assertThat(JSON.readTree(broken.events.get(broken.events.size() - 1)).path("error").path("message").asText()).isNotBlank();
    }

    /** Each event's {@code event:} name, checked against the {@code type} its data carries. */
    private static List<String> eventNames(SseCall call) throws Exception {
        List<String> names = new ArrayList<>();
        for (String block : call.body.split("\n\n")) {
            if (block.isBlank()) {
                continue;
            }
            String[] lines = block.split("\n");
            assertThat(lines).as(block).hasSize(2);
            assertThat(lines[0]).startsWith("event: ");
            assertThat(lines[1]).startsWith("data: ");
            String name = lines[0].substring(7);
            JsonNode data = JSON.readTree(lines[1].substring(6));
            if (!name.equals("error")) {
                assertThat(data.path("type").asText()).isEqualTo(name);
            }
            names.add(name);
        }
        return names;
    }

    @Test
    void chunks_reach_the_client_as_the_upstream_sends_them() throws Exception {
        upstream.enqueue(tenChunks(100));

        SseCall call = SseCall.post("/v1/chat/completions", TEN, CLIENT_KEY);

        List<Long> gaps = new ArrayList<>();
        for (int i = 2; i <= 11; i++) { // the ten content chunks follow the role chunk
            gaps.add((call.arrivalsNanos.get(i) - call.arrivalsNanos.get(i - 1)) / 1_000_000);
        }
        gaps.sort(Long::compare);
        assertThat(gaps.get(gaps.size() / 2)).as("median gap between chunks, ms").isBetween(60L, 250L);
        long spread = (call.arrivalsNanos.get(11) - call.arrivalsNanos.get(1)) / 1_000_000;
        assertThat(spread).as("not one burst").isGreaterThan(700L);
    }

    @Test
    void usage_is_always_asked_upstream_but_passed_on_only_when_the_client_asks() throws Exception {
        upstream.enqueue(tenChunks(0), tenChunks(0));

        SseCall without = SseCall.post("/v1/chat/completions", TEN, CLIENT_KEY);
        SseCall with = SseCall.post("/v1/chat/completions", TEN_WITH_USAGE, CLIENT_KEY);

        assertThat(without.body).doesNotContain("\"usage\"");
        JsonNode usageChunk = JSON.readTree(with.events.get(with.events.size() - 2));
        assertThat(usageChunk.path("choices").size()).isZero();
        assertThat(usageChunk.path("usage").path("completion_tokens").asInt()).isEqualTo(10);
        for (var request : upstream.completionRequests()) {
            assertThat(request.json().path("stream_options").path("include_usage").asBoolean()).isTrue();
        }
        assertThat(FakeUpstreamResource.output()).contains("\"completion_tokens\":10");
    }

    @Test
    void an_upstream_failure_mid_stream_ends_with_an_error_event_then_a_cut_body_and_no_retry() throws Exception {
        upstream.enqueue(tenChunks(10).resetAfter(4));

        SseCall call = SseCall.post("/v1/chat/completions", TEN, CLIENT_KEY);

        assertThat(call.response.statusCode()).isEqualTo(200);
        assertThat(call.endedAbruptly).as("no clean end of the chunked body").isTrue();
        assertThat(call.events).hasSize(5);
        JsonNode error = JSON.readTree(call.events.get(4));
        assertThat(error.path("error").path("message").asText()).isNotBlank();
        assertThat(call.body).doesNotContain("[DONE]");
        assertThat(upstream.completionRequests()).hasSize(1);
    }

    @Test
    void a_failure_before_the_first_chunk_is_an_http_error_after_our_retries() throws Exception {
        upstream.fallback(Reply.error(503, "server_error", null, "overloaded"));

        SseCall call = SseCall.post("/v1/chat/completions", TEN, CLIENT_KEY);

        assertThat(call.response.statusCode()).isEqualTo(502);
        assertThat(call.header("x-should-retry")).isEqualTo("false");
        assertThat(JSON.readTree(call.body).path("error").path("code").asText()).isEqualTo("upstream_error");
        assertThat(upstream.completionRequests()).hasSize(4);
    }

    @Test
    void a_silent_upstream_ends_the_stream_with_a_timeout_event() throws Exception {
        upstream.enqueue(tenChunks(10).stallBefore(3, 2_500));

        SseCall call = SseCall.post("/v1/chat/completions", TEN, CLIENT_KEY);

        JsonNode last = JSON.readTree(call.events.get(call.events.size() - 1));
        assertThat(last.path("error").path("code").asText()).isEqualTo("timeout");
        assertThat(call.endedAbruptly).isTrue();
        assertThat(call.events).hasSize(4);
    }

    @Test
    void a_client_that_disconnects_cancels_the_upstream_and_frees_the_connection() throws Exception {
        upstream.enqueue(tenChunks(100));

        SseCall.post("/v1/chat/completions", TEN, CLIENT_KEY, 3);

        waitUntil(() -> upstream.clientDisconnects() == 1);
        waitUntil(() -> jingnei.http().poolStats().getLeased() == 0);
        waitUntil(() -> FakeUpstreamResource.output().contains("\"status\":\"cancelled\""));
    }

    @Test
    void the_openai_surface_needs_a_client_key_and_never_takes_the_upstream_key() throws Exception {
        SseCall noKey = SseCall.post("/v1/chat/completions", TEN, null);
        SseCall upstreamKey = SseCall.post("/v1/chat/completions", TEN, FakeUpstream.KEY);

        assertThat(noKey.response.statusCode()).isEqualTo(401);
        assertThat(upstreamKey.response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(upstreamKey.body).path("error").path("type").asText()).isEqualTo("authentication_error");
        assertThat(upstream.completionRequests()).isEmpty();
    }

    @Test
    void a_non_streaming_completion_is_passed_through_with_accounting_by_client_user() throws Exception {
        var response = io.restassured.RestAssured.given().contentType("application/json")
                .header("Authorization", "Bearer " + CLIENT_KEY)
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").post("/v1/chat/completions");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.asString());
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("choices").path(0).path("message").path("content").asText()).isEqualTo("您好，有什么可以帮您？");
        assertThat(upstream.completionRequests().get(0).json().path("user").asText()).isEqualTo("shop-a");
        assertThat(FakeUpstreamResource.output()).contains("\"user_id\":\"shop-a\"");
    }

    @Test
    void the_upstreams_request_id_comes_back_as_x_upstream_request_id_only_when_it_is_safe_to_repeat() throws Exception {
        upstream.enqueue(Reply.completion("好的", 3, 2).header("x-request-id", "up-req-42"),
                Reply.completion("好的", 3, 2).header("x-request-id", "up req\u0007<script>"));

        var safe = io.restassured.RestAssured.given().contentType("application/json").header("Authorization", "Bearer " + CLIENT_KEY)
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").post("/v1/chat/completions");
        var unsafe = io.restassured.RestAssured.given().contentType("application/json").header("Authorization", "Bearer " + CLIENT_KEY)
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").post("/v1/chat/completions");

        assertThat(safe.statusCode()).isEqualTo(200);
        assertThat(safe.header("x-upstream-request-id")).isEqualTo("up-req-42");
        assertThat(safe.header("x-request-id")).isNotBlank().isNotEqualTo("up-req-42");
        assertThat(unsafe.statusCode()).isEqualTo(200);
        assertThat(unsafe.header("x-upstream-request-id")).isNull();
    }

    @Test
    void the_callers_stream_options_are_merged_not_replaced() throws Exception {
        upstream.enqueue(tenChunks(0));

        SseCall call = SseCall.post("/v1/chat/completions", "{\"model\":\"deepseek-v3.2\",\"stream\":true,"
                + "\"stream_options\":{\"include_obfuscation\":false},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", CLIENT_KEY);

        assertThat(call.body).contains("data: [DONE]").doesNotContain("\"usage\"");
        JsonNode sent = upstream.completionRequests().get(0).json().path("stream_options");
        assertThat(sent.path("include_obfuscation").isBoolean()).isTrue();
        assertThat(sent.path("include_obfuscation").asBoolean()).isFalse();
        assertThat(sent.path("include_usage").asBoolean()).as("added upstream for accounting").isTrue();
    }

    @Test
    void bad_bodies_on_the_openai_surface_are_400s_in_the_openai_shape() throws Exception {
        for (String bad : List.of("{not json", "[]", "{\"model\":\"deepseek-v3.2\"}", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"model\":7}")) {
            var response = io.restassured.RestAssured.given().contentType("application/json")
                    .header("Authorization", "Bearer " + CLIENT_KEY).body(bad).post("/v1/chat/completions");
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(JSON.readTree(response.asString()).path("error").path("type").asText()).isEqualTo("invalid_request_error");
        }
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("condition not met within 5 s");
            }
            Thread.sleep(20);
        }
    }
}
