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

    @Test
    void defaults_allow_one_choice_and_leave_output_tokens_to_each_model() {
        RequestCaps caps = RequestCaps.from(Env.of(Map.of()));
        assertThat(caps.maxN).isEqualTo(1);
        assertThat(caps.maxOutputTokens).as("each model's own output limit").isNull();
    }

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
            "\"max_tokens\":16000               | ok",
            "\"max_tokens\":32768               | ok",
            "\"max_tokens\":32769               | 400",
            "\"max_tokens\":100000000           | 400",
            "\"max_completion_tokens\":5000     | ok",
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
            "\"best_of\":20                     | 400",
            "\"min_tokens\":30000               | 400",
            "\"ignore_eos\":true                | 400",
            "\"use_beam_search\":true           | 400",
            "\"seed\":7                         | ok",
            "\"reasoning_effort\":\"low\"       | ok",
    })
    void checks_paid_for_parameters(String extra, String outcome) {
        ObjectNode body = body(extra == null ? "" : extra);
        if (outcome.equals("ok")) {
            assertThatCode(() -> CAPS.openAiChat(body, 32_768)).doesNotThrowAnyException();
            return;
        }
        assertThatThrownBy(() -> CAPS.openAiChat(body, 32_768)).isInstanceOf(JingneiException.class)
                .satisfies(e -> assertThat(((JingneiException) e).kind().httpStatus).isEqualTo(Integer.parseInt(outcome)));
    }

    @Test
    void a_long_system_prompt_is_bounded_only_by_the_whole_prompt() {
        ObjectNode ragContext = RequestBodies.readObject(("{\"messages\":[{\"role\":\"system\",\"content\":\"" + "长".repeat(30_000)
                + "\"},{\"role\":\"user\",\"content\":\"hi\"}]}").getBytes(StandardCharsets.UTF_8));
        assertThatCode(() -> CAPS.openAiChat(ragContext, 32_768)).doesNotThrowAnyException();
        assertThatCode(() -> CAPS.systemPrompt("system_prompt", "x".repeat(30_000))).doesNotThrowAnyException();
        assertThatThrownBy(() -> CAPS.systemPrompt("system_prompt", "x".repeat(200_001))).hasMessageContaining("JINGNEI_MAX_PROMPT_CHARS")
                .isInstanceOfSatisfying(JingneiException.class, e -> assertThat(e.param()).contains("system_prompt"));
    }

    @ParameterizedTest(name = "{0} -> param {1}")
    @CsvSource(delimiter = '|', value = {
            "\"max_tokens\":99999999   | max_tokens",
            "\"n\":5                   | n",
            "\"temperature\":9         | temperature",
            "\"best_of\":3             | best_of",
            "\"stream\":\"yes\"        | stream",
            "\"model\":7               | model",
    })
    void every_cap_error_names_its_param_as_openai_does(String extra, String param) {
        assertThatThrownBy(() -> CAPS.openAiChat(body(extra), 32_768))
                .isInstanceOfSatisfying(JingneiException.class, e -> assertThat(e.param()).contains(param));
    }

    @ParameterizedTest(name = "model limit {0}, JINGNEI_MAX_OUTPUT_TOKENS {1}, max_tokens {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "32768  |       | 32768  | ok",
            "8192   |       | 8192   | ok",
            "8192   |       | 8193   | the model's output limit",
            "65536  |       | 60000  | ok",
            "65536  | 4096  | 5000   | JINGNEI_MAX_OUTPUT_TOKENS",
            "2048   | 4096  | 3000   | the model's output limit",
    })
    void max_tokens_goes_up_to_the_models_own_output_limit_unless_the_operator_sets_less(int modelLimit, String setting, int maxTokens,
                                                                                        String outcome) {
        RequestCaps caps = RequestCaps.from(Env.of(setting == null ? Map.of() : Map.of("JINGNEI_MAX_OUTPUT_TOKENS", setting)));
        ObjectNode asked = body("\"max_tokens\":" + maxTokens);
        if (outcome.equals("ok")) {
            assertThatCode(() -> caps.openAiChat(asked, modelLimit)).doesNotThrowAnyException();
            assertThatCode(() -> caps.maxTokens("max_tokens", maxTokens, modelLimit)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> caps.openAiChat(asked, modelLimit)).hasMessageContaining(outcome);
            assertThatThrownBy(() -> caps.maxTokens("max_tokens", maxTokens, modelLimit)).hasMessageContaining(outcome);
        }
    }

    /** Each row hides 1,200 characters of prompt in one place a /v1 body can carry text; the cap is 1,000. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "tool description      | \"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"description\":\"TEXT\"}}]",
            "tool parameters       | \"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\",\"properties\":{\"x\":{\"description\":\"TEXT\"}}}}}]",
            "tool-call arguments   | \"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"TEXT\"}}]}]",
            "message name          | \"messages\":[{\"role\":\"user\",\"name\":\"TEXT\",\"content\":\"hi\"}]",
            "object content        | \"messages\":[{\"role\":\"user\",\"content\":{\"text\":\"TEXT\"}}]",
            "reasoning_content     | \"messages\":[{\"role\":\"assistant\",\"content\":\"ok\",\"reasoning_content\":\"TEXT\"}]",
            "prediction            | \"prediction\":{\"type\":\"content\",\"content\":\"TEXT\"}",
            "legacy functions      | \"functions\":[{\"name\":\"f\",\"description\":\"TEXT\"}]",
            "response_format       | \"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"s\",\"description\":\"TEXT\"}}",
    })
    void the_prompt_cap_counts_every_text_of_a_v1_body(String where, String field) {
        RequestCaps caps = RequestCaps.from(Env.of(Map.of("JINGNEI_MAX_PROMPT_CHARS", "1000")));
        String json = field.replace("TEXT", "长".repeat(1200));
        ObjectNode hidden = RequestBodies.readObject(("{" + (json.startsWith("\"messages\"") ? json : MESSAGES + "," + json) + "}")
                .getBytes(StandardCharsets.UTF_8));
        ObjectNode small = RequestBodies.readObject(("{" + (json.startsWith("\"messages\"") ? field.replace("TEXT", "短")
                : MESSAGES + "," + field.replace("TEXT", "短")) + "}").getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> caps.openAiChat(hidden, 32_768)).isInstanceOfSatisfying(JingneiException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.PAYLOAD_TOO_LARGE);
            assertThat(e.getMessage()).contains("JINGNEI_MAX_PROMPT_CHARS");
        });
        assertThatCode(() -> caps.openAiChat(small, 32_768)).doesNotThrowAnyException();
        assertThat(PromptText.chars(hidden)).as("the token estimate counts it too").isGreaterThan(1200);
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

        assertThatThrownBy(() -> caps.openAiChat(twoTurns, 32_768)).isInstanceOfSatisfying(JingneiException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.PAYLOAD_TOO_LARGE);
            assertThat(e.getMessage()).contains("1200 characters", "JINGNEI_MAX_PROMPT_CHARS");
        });
        assertThatCode(() -> caps.openAiChat(withImage, 32_768)).doesNotThrowAnyException();
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
