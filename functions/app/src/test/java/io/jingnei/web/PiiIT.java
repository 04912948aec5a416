package io.jingnei.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.RecordedRequest;
import io.jingnei.core.testing.Reply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Personal information never reaches the LLM and comes back restored: an upstream that echoes what
 * it received (whole, or streamed in 3-character pieces) shows what it saw, the client shows what
 * it got, on every function.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstreamResource.class, restrictToAnnotatedClass = false)
class PiiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Made-up values of valid form: a mobile number, an ID with a correct check digit, a Luhn-valid card. */
    static final String PHONE = "13812345678";
    static final String ID = "11010519491231002X";
    static final String CARD = "6222020200112233446";
    static final List<String> VALUES = List.of(PHONE, ID, CARD);

    @Inject
    JingneiInstance jingnei;

    @BeforeEach
    void reset() {
        FakeUpstreamResource.upstream.reset();
        FakeUpstreamResource.clearOutput();
    }

    private static FakeUpstream upstream() {
        return FakeUpstreamResource.upstream;
    }

    private static void upstreamSawNoValue() {
        List<RecordedRequest> requests = upstream().completionRequests();
        assertThat(requests).isNotEmpty();
        for (RecordedRequest request : requests) {
            for (String value : VALUES) {
                assertThat(request.body).doesNotContain(value);
            }
        }
        assertThat(FakeUpstreamResource.output()).doesNotContain(PHONE).doesNotContain(ID).doesNotContain(CARD);
    }

    @Test
    void chat_masks_query_and_history_and_restores_the_answer() throws Exception {
        upstream().enqueue(Reply.echo(0));
        String query = "我的手机号是" + PHONE + "，身份证" + ID + "，银行卡" + CARD + "，请核对";

        Response response = Api.post("/chat", "{\"query\":\"" + query + "\",\"history\":[{\"role\":\"user\",\"content\":\"我叫张三，电话 13812345678\"},"
                + "{\"role\":\"assistant\",\"content\":\"好的\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.asString()).path("content").asText()).isEqualTo(query);
        upstreamSawNoValue();
        JsonNode sent = upstream().completionRequests().get(0).json();
        assertThat(sent.path("messages").get(1).path("content").asText()).contains("[手机号1]");
        assertThat(sent.path("messages").get(3).path("content").asText()).contains("[手机号1]").contains("[身份证1]").contains("[银行卡1]");
        assertThat(sent.path("messages").get(0).path("content").asText()).contains("占位符");
        String line = FakeUpstreamResource.output().lines().filter(l -> l.contains("\"function\":\"chat\"")).findFirst().orElseThrow();
        assertThat(JSON.readTree(line).path("pii").path("phone").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(line).path("pii").path("id").asInt()).isEqualTo(1);
    }

    @Test
    void chat_stream_restores_placeholders_cut_across_three_character_pieces() throws Exception {
        upstream().enqueue(Reply.echo(3));
        String query = "请把退款打到银行卡" + CARD + "，有问题打" + PHONE;

        SseCall call = SseCall.post("/chat-stream", "{\"query\":\"" + query + "\"}", FakeUpstreamResource.CLIENT_KEY);

        assertThat(text(call)).isEqualTo(query);
        upstreamSawNoValue();
    }

    @Test
    void the_openai_surface_masks_text_parts_and_restores_streamed_and_whole_answers() throws Exception {
        upstream().enqueue(Reply.echo(0), Reply.echo(3));
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"手机" + PHONE
                + "\"},{\"type\":\"text\",\"text\":\"，身份证" + ID + "\"}]}]";

        Response whole = Api.asClient().body(body + "}").post("/v1/chat/completions");
        SseCall streamed = SseCall.post("/v1/chat/completions", body + ",\"stream\":true}", FakeUpstreamResource.CLIENT_KEY);

        assertThat(JSON.readTree(whole.asString()).path("choices").path(0).path("message").path("content").asText())
                .isEqualTo("手机" + PHONE + "，身份证" + ID);
        assertThat(text(streamed)).isEqualTo("手机" + PHONE + "，身份证" + ID);
        upstreamSawNoValue();
    }

    @Test
    void the_responses_api_masks_input_parts_and_restores_whole_and_streamed_answers() throws Exception {
        upstream().enqueue(Reply.echo(0), Reply.echo(3));
        String body = "{\"instructions\":\"客服热线" + PHONE + "\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
                + "\"text\":\"手机" + PHONE + "\"},{\"type\":\"input_text\",\"text\":\"身份证" + ID + "\"}]}]";

        Response whole = Api.asClient().body(body + "}").post("/v1/responses");
        SseCall streamed = SseCall.post("/v1/responses", body + ",\"stream\":true}", FakeUpstreamResource.CLIENT_KEY);

        String expected = "手机" + PHONE + "\n身份证" + ID;
        assertThat(JSON.readTree(whole.asString()).path("output").path(0).path("content").path(0).path("text").asText()).isEqualTo(expected);
        StringBuilder deltas = new StringBuilder();
        String completedText = null;
        for (String event : streamed.events) {
            if (event.equals("[DONE]")) {
                continue;
            }
            JsonNode e = JSON.readTree(event);
            if (e.path("type").asText().equals("response.output_text.delta")) {
                deltas.append(e.path("delta").asText());
            } else if (e.path("type").asText().equals("response.completed")) {
                completedText = e.path("response").path("output").path(0).path("content").path(0).path("text").asText();
            }
        }
        assertThat(deltas.toString()).isEqualTo(expected);
        assertThat(completedText).isEqualTo(expected);
        upstreamSawNoValue();
    }

    @Test
    void rag_query_sends_masked_question_and_passages_and_restores_the_answer() throws Exception {
        upstream().enqueue(Reply.echo(0));

        Response response = Api.post("/rag-query", "{\"query\":\"退货要多久能到账？我的手机" + PHONE + "\"}");

        JsonNode body = JSON.readTree(response.asString());
        assertThat(body.path("status").asText()).isEqualTo("success");
        assertThat(body.path("answer").asText()).contains(PHONE).contains("参考资料");
        upstreamSawNoValue();
    }

    @Test
    void faq_batch_keeps_the_customers_question_and_the_restored_answer() throws Exception {
        upstream().fallback(Reply.echo(0));
        jingnei.store().put(URI.create("oss://jingnei-faq/faq-batch/in/pii.jsonl"),
                ("{\"id\":\"1\",\"question\":\"退款多久到账？我的卡号" + CARD + "\"}\n").getBytes(StandardCharsets.UTF_8), "application/x-ndjson")
                .get(10, TimeUnit.SECONDS);

        Response run = Api.admin("/faq-batch", "{\"input\":\"oss://jingnei-faq/faq-batch/in/pii.jsonl\"}");

        assertThat(run.statusCode()).isEqualTo(200);
        String output = new String(jingnei.store().get(URI.create("oss://jingnei-faq/faq-batch/out/pii.jsonl")).get(10, TimeUnit.SECONDS).bytes,
                StandardCharsets.UTF_8);
        JsonNode line = JSON.readTree(output.lines().findFirst().orElseThrow());
        assertThat(line.path("question").asText()).contains(CARD);
        assertThat(line.path("answer").asText()).contains(CARD);
        upstreamSawNoValue();
    }

    /**
     * An attack on the detectors with what customers really type: a full-width phone number (a Chinese
     * IME in full-width mode), an ID number split by a zero-width space (pasted from a web page) and a
     * full-width ＠, in the content, the sender's name and the predicted output. The upstream sees none
     * of them in any spelling (read through NFKC with zero-width characters removed: an oracle of its
     * own, not the gateway's folding), and the customer gets them back exactly as typed.
     */
    @Test
    void other_spellings_of_a_value_never_reach_the_upstream_and_come_back_as_typed() throws Exception {
        upstream().enqueue(Reply.echo(0), Reply.echo(3));
        String widePhone = "１３８１２３４５６７８";
        String splitId = "110105\u200B199003071239";
        String wideAtEmail = "zhang.san＠example.com";
        String typed = "手机" + widePhone + "，身份证" + splitId + "，邮箱" + wideAtEmail + "。";
        String body = "{\"messages\":[{\"role\":\"user\",\"name\":\"" + widePhone + "\",\"content\":\"" + typed + "\"}],"
                + "\"prediction\":{\"type\":\"content\",\"content\":\"" + typed + "\"}";

        Response whole = Api.asClient().body(body + "}").post("/v1/chat/completions");
        SseCall streamed = SseCall.post("/v1/chat/completions", body + ",\"stream\":true}", FakeUpstreamResource.CLIENT_KEY);

        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(whole.asString()).path("choices").path(0).path("message").path("content").asText()).isEqualTo(typed);
        assertThat(text(streamed)).isEqualTo(typed);
        List<RecordedRequest> requests = upstream().completionRequests();
        assertThat(requests).hasSize(2);
        for (RecordedRequest request : requests) {
            String seen = java.text.Normalizer.normalize(request.body.replaceAll("[\u200B-\u200D\u2060\uFEFF]", ""), java.text.Normalizer.Form.NFKC);
            assertThat(seen).doesNotContain("13812345678", "110105199003071239", "zhang.san@example.com");
            assertThat(request.json().path("messages").path(1).path("name").asText()).isEqualTo("[手机号1]");
        }
        assertThat(FakeUpstreamResource.output()).doesNotContain(widePhone, "199003071239", "example.com");
    }

    private static String text(SseCall call) throws Exception {
        StringBuilder out = new StringBuilder();
        for (String event : call.events) {
            if (!event.equals("[DONE]")) {
                out.append(JSON.readTree(event).path("choices").path(0).path("delta").path("content").asText(""));
            }
        }
        return out.toString();
    }
}
