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

    @Test
    void all_message_text_of_one_call_is_capped_but_images_do_not_count() {
        RequestCaps caps = RequestCaps.from(Env.of(Map.of("JINGNEI_MAX_PROMPT_CHARS", "1000")));
        String half = "长".repeat(600);
        ObjectNode twoTurns = RequestBodies.readObject(("{\"messages\":[{\"role\":\"user\",\"content\":\"" + half
                + "\"},{\"role\":\"assistant\",\"content\":\"" + half + "\"}]}").getBytes(StandardCharsets.UTF_8));
        ObjectNode withImage = RequestBodies.readObject(("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\""
                + half + "\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64," + "A".repeat(5000)
                + "\"}}]}]}").getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> caps.openAiChat(twoTurns)).isInstanceOfSatisfying(JingneiException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.PAYLOAD_TOO_LARGE);
            assertThat(e.getMessage()).contains("1200 characters", "JINGNEI_MAX_PROMPT_CHARS");
        });
        assertThatCode(() -> caps.openAiChat(withImage)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "8M         | 8388608",
            "8m         | 8388608",
            "512K       | 524288",
            "200M       | 209715200",
            "1G         | refused",
            "8388608    | 8388608",
            "8 MiB      | refused",
            "8.5M       | refused",
            "0          | refused",
            "2G         | refused",
            "99999999999999G | refused"})
    void the_body_limit_reads_the_sizes_quarkus_reads_for_the_same_setting(String value, String expected) {
        Env env = Env.of(Map.of("JINGNEI_MAX_BODY_BYTES", value));
        if (expected.equals("refused")) {
            assertThatThrownBy(() -> RequestCaps.from(env)).isInstanceOf(io.jingnei.core.config.ConfigException.class)
                    .hasMessageContaining("JINGNEI_MAX_BODY_BYTES");
        } else {
            assertThat(RequestCaps.from(env).maxBodyBytes).isEqualTo(Integer.parseInt(expected));
        }
    }
}
