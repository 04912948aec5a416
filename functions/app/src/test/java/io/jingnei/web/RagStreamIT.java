package io.jingnei.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Reply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /rag-stream}'s event sequence: sources, chunks, a final event, [DONE]; and how it ends when something fails. */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstreamResource.class, restrictToAnnotatedClass = false)
class RagStreamIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUESTION = "{\"query\":\"退货要多久能到账？\"}";

    @BeforeEach
    void reset() {
        FakeUpstreamResource.upstream.reset();
    }

    private static FakeUpstream upstream() {
        return FakeUpstreamResource.upstream;
    }

    private static List<JsonNode> events(SseCall call) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String event : call.events) {
            if (!event.equals("[DONE]")) {
                out.add(JSON.readTree(event));
            }
        }
        return out;
    }

    @Test
    void sources_come_first_then_the_chunks_as_they_arrive_then_a_final_event_then_done() throws Exception {
        upstream().enqueue(Reply.stream(30, "退款", "在商家", "确认收货后", "24小时内", "发起。"));

        SseCall call = SseCall.post("/rag-stream", QUESTION, FakeUpstreamResource.CLIENT_KEY);

        assertThat(call.response.statusCode()).isEqualTo(200);
        assertThat(call.header("Content-Type")).startsWith("text/event-stream");
        List<JsonNode> events = events(call);
        assertThat(events.get(0).path("sources").get(0).path("id").asText()).isEqualTo("refund-time");
        assertThat(events.get(0).path("sources").get(0).path("metadata").path("category").asText()).isEqualTo("退款");
        StringBuilder answer = new StringBuilder();
        for (JsonNode chunk : events.subList(1, events.size() - 1)) {
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            answer.append(chunk.path("choices").path(0).path("delta").path("content").asText(""));
        }
        assertThat(answer.toString()).isEqualTo("退款在商家确认收货后24小时内发起。");
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.path("status").asText()).isEqualTo("success");
        assertThat(last.path("mode").asText()).isEqualTo("generated");
        assertThat(last.path("usage").path("completion_tokens").asInt()).isEqualTo(5);
        assertThat(last.path("cost").path("cny").decimalValue()).isPositive();
        assertThat(last.path("latency_ms").path("total").asLong()).isGreaterThanOrEqualTo(last.path("latency_ms").path("retrieve").asLong());
        assertThat(call.events.get(call.events.size() - 1)).isEqualTo("[DONE]");
        long spread = (call.arrivalsNanos.get(call.arrivalsNanos.size() - 3) - call.arrivalsNanos.get(1)) / 1_000_000;
        assertThat(spread).as("chunks arrive as the upstream sends them").isGreaterThan(60);
    }

    @Test
    void a_question_the_knowledge_base_cannot_answer_streams_the_fixed_answer_without_an_llm_call() throws Exception {
        SseCall call = SseCall.post("/rag-stream", "{\"query\":\"推荐一部好看的电影\"}", FakeUpstreamResource.CLIENT_KEY);

        List<JsonNode> events = events(call);
        assertThat(events.get(0).path("sources").isArray()).isTrue();
        StringBuilder answer = new StringBuilder();
        events.subList(1, events.size() - 1).forEach(chunk -> answer.append(chunk.path("choices").path(0).path("delta").path("content").asText("")));
        assertThat(answer.toString()).isEqualTo("抱歉，我在知识库中未找到相关信息。");
        assertThat(events.get(events.size() - 1).path("status").asText()).isEqualTo("no_context");
        assertThat(call.events.get(call.events.size() - 1)).isEqualTo("[DONE]");
        assertThat(upstream().completionRequests()).isEmpty();
    }

    @Test
    void a_failure_before_the_first_chunk_ends_after_the_sources_with_an_error_event() throws Exception {
        upstream().fallback(Reply.error(503, "server_error", null, "overloaded"));

        SseCall call = SseCall.post("/rag-stream", QUESTION, FakeUpstreamResource.CLIENT_KEY);

        List<JsonNode> events = events(call);
        assertThat(events).hasSize(2);
        assertThat(events.get(0).has("sources")).isTrue();
        assertThat(events.get(1).path("error").path("code").asText()).isEqualTo("upstream_error");
        assertThat(call.body).doesNotContain("[DONE]");
        assertThat(call.endedAbruptly).isTrue();
    }

    @Test
    void a_failure_after_the_first_chunk_ends_with_an_error_event_and_no_retry() throws Exception {
        upstream().enqueue(Reply.stream(10, "退款", "在", "商家", "确认").resetAfter(3));

        SseCall call = SseCall.post("/rag-stream", QUESTION, FakeUpstreamResource.CLIENT_KEY);

        List<JsonNode> events = events(call);
        assertThat(events.get(events.size() - 1).has("error")).isTrue();
        assertThat(events.get(1).path("choices").isArray()).isTrue();
        assertThat(call.body).doesNotContain("[DONE]");
        assertThat(call.endedAbruptly).isTrue();
        assertThat(upstream().completionRequests()).hasSize(1);
    }

    @Test
    void bad_input_and_missing_credentials_are_errors_before_any_event() throws Exception {
        SseCall empty = SseCall.post("/rag-stream", "{\"query\":\"\"}", FakeUpstreamResource.CLIENT_KEY);
        SseCall anonymous = SseCall.post("/rag-stream", QUESTION, null);

        assertThat(empty.response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(empty.body).path("status").asText()).isEqualTo("invalid_request");
        assertThat(anonymous.response.statusCode()).isEqualTo(401);
        assertThat(upstream().completionRequests()).isEmpty();
    }
}
