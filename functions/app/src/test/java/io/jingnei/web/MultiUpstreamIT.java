package io.jingnei.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several upstreams through the packaged app, as an operator configures them: JINGNEI_UPSTREAMS with
 * two providers (the first with two keys, one of them revoked) and a fallback chain. A failing
 * provider is routed around for /chat and for a /v1 stream before its first byte, a revoked key is
 * set aside and logged once, and a model whose only provider is down is answered by the next model
 * of its chain, under that model's name.
 */
class MultiUpstreamIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "ck-multi-0000001";
    private static final String REVOKED = "sk-revoked-000000000000";
    private static FakeUpstream primary;
    private static FakeUpstream secondary;
    private static AppProcess app;

    @BeforeAll
    static void start() throws Exception {
        primary = FakeUpstream.start();
        secondary = FakeUpstream.start();
        Map<String, String> env = new HashMap<>();
        env.put("JINGNEI_UPSTREAMS", "[{\"name\":\"primary\",\"base_url\":\"" + primary.baseUrl() + "\",\"api_keys\":[\"" + REVOKED + "\",\""
                + FakeUpstream.KEY + "\"],\"models\":[\"deepseek-v3.2\",\"claude-sonnet-4.5\"],\"max_retries\":0},"
                + "{\"name\":\"secondary\",\"base_url\":\"" + secondary.baseUrl() + "\",\"api_keys\":[\"" + FakeUpstream.KEY + "\"],"
                + "\"models\":[\"deepseek-v3.2\"]}]");
        env.put("JINGNEI_FALLBACK", "claude-sonnet-4.5>deepseek-v3.2");
        env.put("JINGNEI_CLIENT_KEYS", KEY + ":multi");
        env.put("JINGNEI_RAG_ENABLED", "false");
        env.put("JINGNEI_CACHE", "off");
        app = AppProcess.start(env);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        primary.close();
        secondary.close();
    }

    @BeforeEach
    void reset() {
        primary.reset();
        secondary.reset();
        primary.expectKey(FakeUpstream.KEY);
    }

    private static List<JsonNode> logLines(String requestId) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : app.logText().split("\n")) {
            if (line.startsWith("{") && line.contains("\"request_id\":\"" + requestId + "\"")) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static List<String> attempts(String requestId) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode line : logLines(requestId)) {
            for (JsonNode attempt : line.path("attempts")) {
                out.add(attempt.path("upstream").asText() + "/" + attempt.path("model").asText() + "/" + attempt.path("status").asText());
            }
        }
        return out;
    }

    @Test
    void a_failing_provider_is_routed_around_and_a_revoked_key_set_aside_and_logged_once() throws Exception {
        primary.fallback(Reply.error(503, "server_error", null, "overloaded"));

        HttpResponse<String> chat = app.post("/chat", KEY, "{\"query\":\"你好\"}");

        assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(chat.body());
        assertThat(answer.path("content").asText()).isNotEmpty();
        List<String> tried = attempts(answer.path("request_id").asText());
        // Which provider is tried first depends on their health so far (other tests fail the primary too):
        // whatever the order, the answer comes from the healthy one and every try of the other failed.
        assertThat(tried).last().isEqualTo("secondary/deepseek-v3.2/200");
        assertThat(tried.subList(0, tried.size() - 1)).allMatch(a -> a.startsWith("primary/") && !a.endsWith("/200"));
        assertThat(secondary.completionRequests()).hasSize(1);

        primary.reset();
        primary.expectKey(FakeUpstream.KEY);
        for (int i = 0; i < 3; i++) {
            assertThat(app.post("/chat", KEY, "{\"query\":\"你好\"}").statusCode()).isEqualTo(200);
        }
        long revokedTries = primary.completionRequests().stream()
                .filter(r -> ("Bearer " + REVOKED).equals(r.headers.get("authorization"))).count();
        assertThat(revokedTries).as("the revoked key is tried at most once, then set aside").isLessThanOrEqualTo(1);
        assertThat(app.logText()).doesNotContain(REVOKED);
        assertThat(app.logText().split("upstream key rejected; set aside", -1)).as("logged once").hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void a_v1_stream_whose_first_provider_fails_before_its_first_byte_comes_whole_from_the_next() throws Exception {
        primary.fallback(Reply.error(502, "server_error", null, "bad gateway"));
        secondary.fallback(Reply.stream(0, "退款", "在商家", "确认收货后发起。"));

        HttpResponse<String> stream = app.post("/v1/chat/completions", KEY,
                "{\"model\":\"deepseek-v3.2\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"退款多久到账\"}]}");

        assertThat(stream.statusCode()).isEqualTo(200);
        StringBuilder text = new StringBuilder();
        for (String line : stream.body().split("\n")) {
            if (line.startsWith("data: {")) {
                text.append(JSON.readTree(line.substring(6)).path("choices").path(0).path("delta").path("content").asText(""));
            }
        }
        assertThat(text.toString()).isEqualTo("退款在商家确认收货后发起。");
        assertThat(stream.body()).contains("data: [DONE]").doesNotContain("bad gateway");
    }

    @Test
    void a_model_whose_only_provider_is_down_is_answered_by_the_next_model_of_its_chain_under_that_name() throws Exception {
        primary.fallback(Reply.error(503, "server_error", null, "claude is down"));

        HttpResponse<String> completion = app.post("/v1/chat/completions", KEY,
                "{\"model\":\"claude-sonnet-4.5\",\"messages\":[{\"role\":\"user\",\"content\":\"你好\"}]}");

        assertThat(completion.statusCode()).as(completion.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(completion.body());
        assertThat(body.path("model").asText()).isEqualTo("deepseek-v3.2");
        assertThat(secondary.completionRequests()).hasSize(1);
        assertThat(secondary.completionRequests().get(0).json().path("model").asText()).isEqualTo("deepseek-v3.2");
    }
}
