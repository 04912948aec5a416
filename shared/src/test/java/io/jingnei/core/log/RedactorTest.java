package io.jingnei.core.log;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {
    private static final String KEY = "hs-9f8e7d6c5b4a39281706";
    private final Redactor redactor = Redactor.of(List.of(KEY, "admin-key-000111222"));

    @Test
    void removes_configured_secrets_whole_and_their_echoed_prefixes() {
        assertThat(redactor.redact("Incorrect API key provided: " + KEY + ".")).doesNotContain(KEY).contains("***");
        assertThat(redactor.redact("key hs-9f8e7d6c5b**** is invalid")).doesNotContain("hs-9f8e7d6c");
    }

    @Test
    void removes_anything_shaped_like_a_credential() {
        assertThat(redactor.redact("Authorization: Bearer eyJhbGciOi.abc.def sent")).doesNotContain("eyJhbGciOi");
        assertThat(redactor.redact("your key sk-proj-abcdefghijkl is wrong")).doesNotContain("sk-proj-abcdefghijkl");
        assertThat(redactor.redact("{\"api_key\":\"zzzz-secret-zzzz\"}")).doesNotContain("zzzz-secret-zzzz");
        assertThat(redactor.redact("password=hunter2hunter2")).doesNotContain("hunter2hunter2");
    }

    @Test
    void redacts_before_it_truncates_so_a_key_past_the_cut_leaks_nothing() {
        String text = "x".repeat(290) + " " + KEY;
        String shown = redactor.redactAndTruncate(text, 300);
        assertThat(shown).doesNotContain("hs-9f8e7d").doesNotContain(KEY.substring(0, 8));
    }

    @Test
    void leaves_ordinary_text_alone() {
        assertThat(redactor.redact("退款将在3个工作日内到账，订单号 DY20261111001。")).isEqualTo("退款将在3个工作日内到账，订单号 DY20261111001。");
    }

    /** The regex the scanner replaced (it cost more than the rest of a /v1 call): the scanner must match it exactly. */
    private static final Pattern REFERENCE = Pattern.compile(
            "(?i)\\b(?:bearer|basic)\\s+[A-Za-z0-9._~+/=\\-]{4,}"
                    + "|\\b(?:sk|ak|pk|rk|ck)-[A-Za-z0-9_\\-*.]{4,}"
                    + "|(?<=(?:api[_-]?key|secret|token|password|authorization)[\"']?\\s?[:=]\\s?[\"']?)(?!(?i:bearer|basic)\\b)[^\\s\"',}]{4,}");

    @Test
    void the_scanner_masks_exactly_what_the_reference_regex_matched_on_generated_text() {
        String[] pieces = {"Bearer ", "basic ", "bearer\t", "sk-", "SK-", "ak-", "ck-", "api_key", "API-KEY", "apikey", "api key", "token",
                "Token", "tokens", "password", "Authorization", "secret", ":", "=", " ", "  ", "\"", "'", "abcd", "xyz12", "AbC9",
                "-", "_", ".", "*", "/", "+", "~", "订单", "号", ",", "}", "{", "\n", "***", "x", "1"};
        java.util.Random random = new Random(17);
        Redactor shapesOnly = Redactor.patternsOnly();
        for (int n = 0; n < 50_000; n++) {
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(12); k >= 0; k--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            String expected = REFERENCE.matcher(text).replaceAll("***");
            assertThat(shapesOnly.redact(text.toString())).as("text: [" + text + "]").isEqualTo(expected);
        }
    }

    @Test
    void a_call_log_line_is_left_as_it_is() {
        String line = "{\"ts\":\"2026-11-27T12:34:06.689Z\",\"level\":\"INFO\",\"request_id\":\"f8901f91\",\"function\":\"chat\","
                + "\"prompt_tokens\":20,\"completion_tokens\":5,\"total_tokens\":25,\"cost_cny\":0.0000049}";
        assertThat(Redactor.patternsOnly().redact(line)).isEqualTo(line);
    }
}
