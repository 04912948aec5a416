package io.jingnei.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Reply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(value = FakeUpstreamResource.class, restrictToAnnotatedClass = false)
class ChatFunctionIT {

    @BeforeEach
    void reset() {
        FakeUpstreamResource.upstream.reset();
        FakeUpstreamResource.clearOutput();
    }

    private static Response post(String path, String body) {
        return Api.post(path, body);
    }

    @Test
    void chat_succeeds_after_two_429s_honouring_retry_after() {
        FakeUpstream upstream = FakeUpstreamResource.upstream;
        upstream.enqueue(Reply.rateLimited("1"), Reply.rateLimited("1"), Reply.completion("支持7天无理由退货。", 120, 80));
        long start = System.nanoTime();

        Response response = post("/chat", "{\"user_id\":\"u-7\",\"query\":\"能退货吗？\","
                + "\"history\":[{\"role\":\"user\",\"content\":\"你好\"},{\"role\":\"assistant\",\"content\":\"您好！\"}]}");

        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = response.as(JsonNode.class);
        assertThat(body.path("status").asText()).isEqualTo("success");
        assertThat(body.path("content").asText()).isEqualTo("支持7天无理由退货。");
        assertThat(body.path("attempts")).hasSize(3);
        assertThat(body.path("attempts").path(0).path("status").asText()).isEqualTo("429");
        assertThat(body.path("usage").path("total_tokens").asInt()).isEqualTo(200);
        assertThat(body.path("cost").path("usd").decimalValue()).isEqualByComparingTo("0.0000504");
        assertThat(body.path("cost").path("cny").decimalValue()).isEqualByComparingTo("0.0000504");
        assertThat(body.path("request_id").asText()).isNotBlank();
        assertThat(elapsedMillis).as("two Retry-After: 1 waits").isBetween(1900L, 6000L);
        JsonNode sent = upstream.completionRequests().get(2).json();
        assertThat(sent.path("user").asText()).as("a body's user_id only labels the key's user").isEqualTo("shop-a/u-7");
        assertThat(sent.path("messages").get(1).path("content").asText()).isEqualTo("你好");
        assertThat(sent.path("messages").get(2).path("content").asText()).isEqualTo("您好！");
    }

    @Test
    void an_unknown_model_names_itself_and_the_valid_models() {
        Response response = post("/chat", "{\"query\":\"hi\",\"model\":\"gpt-9\"}");

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode body = response.as(JsonNode.class);
        assertThat(body.path("status").asText()).isEqualTo("model_not_found");
        assertThat(body.path("error").asText()).contains("gpt-9").contains("deepseek-v3.2").contains("gpt-4.1");
    }

    @Test
    void malformed_json_is_a_400_that_says_so() {
        Response response = post("/chat", "{\"query\": \"退货");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.as(JsonNode.class).path("status").asText()).isEqualTo("invalid_request");
        assertThat(response.as(JsonNode.class).path("error").asText()).contains("not valid JSON");
    }

    @Test
    void wrong_shapes_and_sizes_are_4xx_with_the_field_named() {
        assertThat(post("/chat", "{\"query\":\"x\",\"history\":{\"role\":\"user\"}}").as(JsonNode.class).path("error").asText())
                .contains("'history'");
        assertThat(post("/chat", "{\"query\":\"\"}").statusCode()).isEqualTo(400);
        assertThat(post("/chat", "{}").as(JsonNode.class).path("error").asText()).contains("'query' is required");
        assertThat(post("/chat", "{\"query\":\"" + "长".repeat(4001) + "\"}").statusCode()).isEqualTo(413);
        assertThat(FakeUpstreamResource.upstream.completionRequests()).isEmpty();
    }

    @Test
    void a_wrong_upstream_key_is_a_clear_auth_error_that_never_shows_the_key() {
        FakeUpstream upstream = FakeUpstreamResource.upstream;
        upstream.expectKey("sk-the-right-one");
        try {
            Response response = post("/chat", "{\"query\":\"hi\"}");

            assertThat(response.statusCode()).isEqualTo(502);
            JsonNode body = response.as(JsonNode.class);
            assertThat(body.path("status").asText()).isEqualTo("auth_error");
            assertThat(body.path("error").asText()).contains("JINGNEI_LLM_API_KEY");
            assertThat(response.asString()).doesNotContain(FakeUpstream.KEY).doesNotContain("0123456789abcdef");
            assertThat(FakeUpstreamResource.output()).contains("\"status\":\"auth_error\"")
                    .doesNotContain(FakeUpstream.KEY).doesNotContain("0123456789abcdef");
            assertThat(upstream.completionRequests()).hasSize(1);
        } finally {
            upstream.expectKey(FakeUpstream.KEY);
        }
    }

    @Test
    void every_call_writes_one_json_log_line() throws Exception {
        post("/chat", "{\"query\":\"查订单\"}");

        String line = FakeUpstreamResource.output().lines().filter(l -> l.startsWith("{") && l.contains("\"function\":\"chat\""))
                .findFirst().orElseThrow();
        JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
        assertThat(json.path("status").asText()).isEqualTo("success");
        assertThat(json.path("total_tokens").asInt()).isEqualTo(20);
        assertThat(json.has("cost_usd")).isTrue();
        assertThat(json.has("latency_ms")).isTrue();
        assertThat(json.path("attempts")).hasSize(1);
        assertThat(json.path("user_id").asText()).isEqualTo("shop-a");
        assertThat(line).doesNotContain("查订单");
    }

    @Test
    void models_are_listed_in_the_openai_shape() {
        Response response = given().header("Authorization", "Bearer " + FakeUpstreamResource.CLIENT_KEY).get("/v1/models");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = response.as(JsonNode.class);
        assertThat(body.path("object").asText()).isEqualTo("list");
        assertThat(body.path("data").findValuesAsText("id")).contains("deepseek-v3.2", "claude-sonnet-4.5");
    }
}
