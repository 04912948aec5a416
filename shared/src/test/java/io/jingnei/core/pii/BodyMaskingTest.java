package io.jingnei.core.pii;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.config.Env;
import io.jingnei.core.error.JingneiException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every text of a {@code /v1} body is masked, in any spelling, and the answer's texts are restored as typed. */
class BodyMaskingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PiiPolicy MASK = PiiPolicy.from(Env.of(Map.of()));
    /** Full-width, as a Chinese IME in full-width mode types it. */
    private static final String WIDE_PHONE = "１３８１２３４５６７８";
    /** Split by a zero-width space, as a web page may leave it. */
    private static final String SPLIT_ID = "110105\u200B199003071239";
    private static final String WIDE_AT_EMAIL = "zhang.san＠example.com";
    private static final String CARD = "6222021234567894";

    /** Each text field of the body holds one value; the image's data URL holds digits that must stay. */
    private static ObjectNode bodyWithAValueInEveryField() throws Exception {
        return (ObjectNode) JSON.readTree("{\"model\":\"m\",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"客服\"},"
                + "{\"role\":\"user\",\"name\":\"" + WIDE_PHONE + "\",\"content\":[{\"type\":\"text\",\"text\":\"身份证" + SPLIT_ID + "\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,/13812345678+\"}}]},"
                + "{\"role\":\"assistant\",\"reasoning_content\":\"邮箱" + WIDE_AT_EMAIL + "\",\"content\":{\"type\":\"text\",\"text\":\"卡" + CARD + "\"},"
                + "\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"arguments\":\"{\\\"phone\\\":\\\"" + WIDE_PHONE + "\\\"}\"}}]}],"
                + "\"prediction\":{\"type\":\"content\",\"content\":\"您的手机" + WIDE_PHONE + "\"},"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"description\":\"例如13912345678\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"phone\":{\"type\":\"string\",\"description\":\"如15000000000\",\"pattern\":\"^1[3-9]\\\\d{9}$\"}}}}}]}");
    }

    @Test
    void every_text_field_is_masked_in_any_spelling_and_data_urls_and_schemas_stay() throws Exception {
        ObjectNode body = bodyWithAValueInEveryField();

        BodyMasking masking = BodyMasking.apply(MASK, body);

        String sent = body.toString();
        assertThat(sent).doesNotContain(WIDE_PHONE, "199003071239", "example.com", CARD, "13912345678", "15000000000");
        JsonNode user = body.path("messages").get(1);
        assertThat(user.path("name").asText()).isEqualTo("[手机号1]");
        assertThat(user.path("content").get(0).path("text").asText()).isEqualTo("身份证[身份证1]");
        assertThat(user.path("content").get(1).path("image_url").path("url").asText()).isEqualTo("data:image/png;base64,/13812345678+");
        JsonNode assistant = body.path("messages").get(2);
        assertThat(assistant.path("reasoning_content").asText()).isEqualTo("邮箱[邮箱1]");
        assertThat(assistant.path("content").path("text").asText()).isEqualTo("卡[银行卡1]");
        assertThat(assistant.path("tool_calls").get(0).path("function").path("arguments").asText()).isEqualTo("{\"phone\":\"[手机号1]\"}");
        assertThat(body.path("prediction").path("content").asText()).isEqualTo("您的手机[手机号1]");
        JsonNode tool = body.path("tools").get(0).path("function");
        assertThat(tool.path("description").asText()).isEqualTo("例如[手机号2]");
        assertThat(tool.path("parameters").path("properties").path("phone").path("pattern").asText()).isEqualTo("^1[3-9]\\d{9}$");
        assertThat(masking.counts()).containsEntry("phone", 3).containsEntry("id", 1).containsEntry("email", 1).containsEntry("card", 1);
    }

    @Test
    void the_answer_gets_the_values_back_as_the_customer_typed_them() throws Exception {
        ObjectNode body = bodyWithAValueInEveryField();
        BodyMasking masking = BodyMasking.apply(MASK, body);
        ObjectNode answer = (ObjectNode) JSON.readTree("{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"reasoning_content\":\"用户的手机[手机号1]\",\"content\":\"已发到[邮箱1]，身份证[身份证1]\"}}]}");

        masking.unmaskAnswer(answer);

        JsonNode message = answer.path("choices").get(0).path("message");
        assertThat(message.path("content").asText()).isEqualTo("已发到" + WIDE_AT_EMAIL + "，身份证" + SPLIT_ID);
        assertThat(message.path("reasoning_content").asText()).isEqualTo("用户的手机" + WIDE_PHONE);
    }

    @Test
    void streamed_reasoning_cut_inside_a_placeholder_is_restored() throws Exception {
        StreamedRestore restorer = StreamedRestore.of(BodyMasking.apply(MASK, bodyWithAValueInEveryField()));
        StringBuilder reasoning = new StringBuilder();
        for (String piece : new String[] {"手机[手", "机号1]。", null}) {
            ObjectNode chunk = JSON.createObjectNode();
            ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
            if (piece == null) {
                choice.putObject("delta");
                choice.put("finish_reason", "stop");
            } else {
                choice.putObject("delta").put("reasoning_content", piece);
            }
            restorer.restore(chunk);
            reasoning.append(chunk.path("choices").get(0).path("delta").path("reasoning_content").asText(""));
        }

        assertThat(reasoning.toString()).isEqualTo("手机" + WIDE_PHONE + "。");
    }

    @Test
    void block_mode_refuses_a_value_in_a_name_or_a_prediction_naming_only_the_kind() throws Exception {
        PiiPolicy block = PiiPolicy.from(Env.of(Map.of("JINGNEI_PII", "block")));
        ObjectNode body = (ObjectNode) JSON.readTree("{\"messages\":[{\"role\":\"user\",\"name\":\"" + WIDE_PHONE + "\",\"content\":\"你好\"}],"
                + "\"prediction\":{\"type\":\"content\",\"content\":[{\"type\":\"text\",\"text\":\"" + SPLIT_ID + "\"}]}}");

        assertThatThrownBy(() -> BodyMasking.apply(block, body))
                .isInstanceOf(JingneiException.class)
                .hasMessageContaining("phone, id")
                .hasMessageNotContaining("１３８").hasMessageNotContaining("1101");
    }

    @Test
    void a_body_without_personal_information_is_left_as_it_was() throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree("{\"messages\":[{\"role\":\"user\",\"name\":\"张三\",\"content\":\"七天无理由退货怎么申请？\u3000谢谢。\"}]}");
        String before = body.toString();

        BodyMasking masking = BodyMasking.apply(MASK, body);

        assertThat(masking.masked()).isFalse();
        assertThat(body.toString()).isEqualTo(before);
    }
}
