package io.jingnei.core.request;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.config.Env;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

/** What a caller may make the operator pay for, as a table of OpenAI bodies: accepted or refused with which status. */
class RequestCapsTest {
    private static final RequestCaps CAPS = RequestCaps.from(Env.of(Map.of()));
    private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    private static ObjectNode body(String extra) {
        return RequestBodies.readObject(("{" + MESSAGES + (extra.isEmpty() ? "" : "," + extra) + "}").getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "                                   | ok",
            "\"n\":1                            | ok",
            "\"n\":128                          | 400",
            "\"n\":1.5                          | 400",
            "\"max_tokens\":4096                | ok",
            "\"max_tokens\":100000000           | 400",
            "\"max_completion_tokens\":5000     | 400",
            "\"max_tokens\":0                   | 400",
            "\"temperature\":0.7                | ok",
            "\"temperature\":99                 | 400",
            "\"temperature\":-1                 | 400",
            "\"temperature\":\"NaN\"            | 400",
            "\"temperature\":\"0.5\"            | 400",
            "\"top_p\":1.5                      | 400",
            "\"top_p\":0.9                      | ok",
            "\"presence_penalty\":3             | 400",
            "\"stream\":\"yes\"                 | 400",
            "\"model\":7                        | 400",
    })
    void checks_paid_for_parameters(String extra, String outcome) {
        ObjectNode body = body(extra == null ? "" : extra);
        if (outcome.equals("ok")) {
            assertThatCode(() -> CAPS.openAiChat(body)).doesNotThrowAnyException();
            return;
        }
        assertThatThrownBy(() -> CAPS.openAiChat(body)).isInstanceOf(JingneiException.class)
                .satisfies(e -> assertThat(((JingneiException) e).kind().httpStatus).isEqualTo(Integer.parseInt(outcome)));
    }

    @Test
    void a_long_system_prompt_is_a_413_naming_the_setting() {
        ObjectNode body = RequestBodies.readObject(("{\"messages\":[{\"role\":\"system\",\"content\":\"" + "长".repeat(4001)
                + "\"},{\"role\":\"user\",\"content\":\"hi\"}]}").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> CAPS.openAiChat(body)).hasMessageContaining("JINGNEI_MAX_SYSTEM_PROMPT_CHARS")
                .satisfies(e -> assertThat(((JingneiException) e).kind()).isEqualTo(ErrorKind.PAYLOAD_TOO_LARGE));
        assertThatThrownBy(() -> CAPS.systemPrompt("system_prompt", "x".repeat(200_000))).hasMessageContaining("200000");
    }

    @Test
    void a_body_nested_thousands_deep_is_a_400_not_a_crash() {
        String deep = "{\"query\":" + "[".repeat(2000) + "]".repeat(2000) + "}";
        assertThatThrownBy(() -> RequestBodies.readObject(deep.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(JingneiException.class).hasMessageContaining("nested too deeply");
        String deepUnknownField = "{\"query\":\"hi\",\"x\":" + "[".repeat(2000) + "]".repeat(2000) + "}";
        assertThatThrownBy(() -> RequestBodies.read(deepUnknownField.getBytes(StandardCharsets.UTF_8), io.jingnei.core.rag.RagRequest.class))
                .isInstanceOf(JingneiException.class).hasMessageContaining("nested too deeply");
    }
}
