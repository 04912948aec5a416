package io.jingnei.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.jingnei.core.testing.Reply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** rag-query on the embedded default (the bundled sample knowledge base), and index-build. */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstreamResource.class, restrictToAnnotatedClass = false)
class RagFunctionIT {

    @BeforeEach
    void reset() {
        FakeUpstreamResource.upstream.reset();
    }

    private static Response post(String path, String body) {
        return Api.post(path, body);
    }

    @Test
    void answers_from_the_sample_knowledge_base_with_sources() {
        FakeUpstreamResource.upstream.enqueue(Reply.completion("退款在商家确认收货后24小时内发起。", 200, 30));

        Response response = post("/rag-query", "{\"query\":\"退货要多久能到账？\",\"user_id\":\"u-9\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = response.as(JsonNode.class);
        assertThat(body.path("status").asText()).isEqualTo("success");
        assertThat(body.path("mode").asText()).isEqualTo("generated");
        assertThat(body.path("answer").asText()).contains("24小时");
        assertThat(body.path("sources").get(0).path("id").asText()).isEqualTo("refund-time");
        assertThat(body.path("sources").get(0).path("metadata").path("category").asText()).isEqualTo("退款");
        assertThat(body.path("latency_ms").has("retrieve")).isTrue();
        assertThat(body.path("cost").path("usd").decimalValue()).isPositive();
    }

    @Test
    void a_follow_up_finds_the_topic_set_two_questions_back() {
        FakeUpstreamResource.upstream.enqueue(Reply.completion("换货期间不会重复扣款。", 200, 30));
        String question = "这期间会不会又扣我一次钱";
        String firstTurns = "{\"role\":\"user\",\"content\":\"换货怎么弄\"},{\"role\":\"assistant\",\"content\":\"在申请售后里选换货。\"},";
        String lastTurns = "{\"role\":\"user\",\"content\":\"要多久\"},{\"role\":\"assistant\",\"content\":\"商家收到原商品确认后寄出新的。\"}";

        Response whole = post("/rag-query", "{\"query\":\"" + question + "\",\"history\":[" + firstTurns + lastTurns + "]}");
        Response lastOnly = post("/rag-query", "{\"query\":\"" + question + "\",\"history\":[" + lastTurns + "]}");

        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.as(JsonNode.class).path("sources").get(0).path("id").asText()).isEqualTo("exchange");
        assertThat(FakeUpstreamResource.upstream.completionRequests().get(0).json().path("messages").toString())
                .as("the answer prompt has the conversation").contains("换货怎么弄").contains("要多久");
        // the previous turn alone ("要多久") does not say what the question is about
        JsonNode guessed = lastOnly.as(JsonNode.class).path("sources");
        assertThat(guessed.isEmpty() || !guessed.get(0).path("id").asText().equals("exchange")).isTrue();
    }

    @Test
    void an_out_of_scope_question_gets_the_no_context_answer_without_an_llm_call() {
        Response response = post("/rag-query", "{\"query\":\"推荐一部好看的电影\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.as(JsonNode.class).path("status").asText()).isEqualTo("no_context");
        assertThat(response.as(JsonNode.class).path("answer").asText()).isEqualTo("抱歉，我在知识库中未找到相关信息。");
        assertThat(FakeUpstreamResource.upstream.completionRequests()).isEmpty();
    }

    @Test
    void bad_rag_input_is_a_400_that_names_the_field() {
        assertThat(post("/rag-query", "{\"query\":\"退货\",\"top_k\":\"three\"}").as(JsonNode.class).path("error").asText())
                .contains("'top_k'").contains("whole number");
        assertThat(post("/rag-query", "{\"query\":\"\"}").statusCode()).isEqualTo(400);
        assertThat(post("/rag-query", "{\"query\":\"退货\",\"top_k\":99}").statusCode()).isEqualTo(400);
    }

    @Test
    void index_build_writes_an_index_and_explains_failures() throws Exception {
        Path dir = Files.createDirectories(FakeUpstreamResource.allowedDir.resolve("kb-" + System.nanoTime()));
        Path kb = Files.writeString(dir.resolve("kb.jsonl"), "{\"id\":\"a\",\"content\":\"会员年卡88元。\"}\n{\"id\":\"b\",\"content\":\"积分一年有效。\"}\n");
        Path index = dir.resolve("out/index.jnix");

        Response built = Api.admin("/index-build", "{\"input\":\"" + kb.toUri() + "\",\"output\":\"" + index.toUri() + "\"}");

        assertThat(built.statusCode()).isEqualTo(200);
        assertThat(built.as(JsonNode.class).path("result").path("chunks").asInt()).isEqualTo(2);
        assertThat(Files.size(index)).isPositive();
        Response missing = Api.admin("/index-build", "{\"input\":\"" + dir.resolve("nope.jsonl").toUri() + "\",\"output\":\"" + index.toUri() + "\"}");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.as(JsonNode.class).path("status").asText()).isEqualTo("not_found");
        assertThat(missing.as(JsonNode.class).path("error").asText()).contains("nope.jsonl");
        assertThat(Api.admin("/index-build", "{\"input\":\"x\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void bad_knowledge_base_input_is_a_400_naming_the_file_and_line() throws Exception {
        Path dir = Files.createDirectories(FakeUpstreamResource.allowedDir.resolve("bad-kb-" + System.nanoTime()));
        Path kb = Files.writeString(dir.resolve("kb.jsonl"), "{\"id\":\"a\",\"content\":\"会员年卡88元。\"}\n{\"id\":\"b\",\"title\":\"积分\"}\n");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        String output = dir.resolve("out/index.jnix").toUri().toString();

        Response noContent = Api.admin("/index-build", "{\"input\":\"" + kb.toUri() + "\",\"output\":\"" + output + "\"}");
        Response emptyFolder = Api.admin("/index-build", "{\"input\":\"" + empty.toUri() + "\",\"output\":\"" + output + "\"}");

        assertThat(noContent.statusCode()).isEqualTo(400);
        assertThat(noContent.as(JsonNode.class).path("status").asText()).isEqualTo("invalid_request");
        assertThat(noContent.as(JsonNode.class).path("error").asText()).contains("kb.jsonl").contains("line 2").contains("'content'");
        assertThat(emptyFolder.statusCode()).isEqualTo(400);
        assertThat(emptyFolder.as(JsonNode.class).path("error").asText()).contains("empty").contains("no .jsonl");
        // The legitimate build still works.
        Files.writeString(kb, "{\"id\":\"a\",\"content\":\"会员年卡88元。\"}\n");
        assertThat(Api.admin("/index-build", "{\"input\":\"" + kb.toUri() + "\",\"output\":\"" + output + "\"}").statusCode()).isEqualTo(200);
    }
}
