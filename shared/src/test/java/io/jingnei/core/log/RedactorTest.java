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

    /** A Zhipu-style {@code id.secret} key: the part after the dot is the secret. */
    private static final String ID_SECRET_KEY = "3f9a1c2e7b4d.Qm9vZ2xlU2VjcmV0SGFsZg";

    @Test
    void an_upstream_echoing_the_secret_half_or_any_eight_characters_of_a_key_leaks_none_of_them() {
        Redactor withKey = redactor.with(List.of(ID_SECRET_KEY));
        String tail = ID_SECRET_KEY.substring(ID_SECRET_KEY.indexOf('.') + 1);

        assertThat(withKey.redact("invalid api key, ends with " + tail + ", rejected")).isEqualTo("invalid api key, ends with ***, rejected");
        assertThat(withKey.redact("bad key ..." + KEY.substring(7) + " (truncated)")).isEqualTo("bad key ...*** (truncated)");
        assertThat(withKey.redact("fragment[" + tail.substring(5, 13) + "]")).isEqualTo("fragment[***]");
        assertThat(withKey.redact("key " + ID_SECRET_KEY)).isEqualTo("key ***");
    }

    @Test
    void fewer_than_eight_characters_of_a_key_and_short_secrets_spelled_whole_are_told_apart() {
        Redactor withShort = Redactor.of(List.of(KEY, "pa55wd"));

        assertThat(withShort.redact("model hs-9f8e deprecated")).isEqualTo("model hs-9f8e deprecated");
        assertThat(withShort.redact("the word pa55wd leaked, pa55w did not")).isEqualTo("the word *** leaked, pa55w did not");
    }

    /** The scanner against the plain definition: a character is hidden when it lies in some 8-character piece of some secret. */
    @Test
    void hides_exactly_the_characters_covered_by_an_eight_character_piece_of_a_secret_on_generated_text() {
        Random random = new Random(21);
        String alphabet = "abcdef0123456789.-_ 订";
        for (int n = 0; n < 3_000; n++) {
            List<String> secrets = List.of(randomText(random, "abcdef0123456789.-_", 8 + random.nextInt(30)),
                    randomText(random, "abcdef0123456789.-_", 8 + random.nextInt(30)));
            StringBuilder text = new StringBuilder(randomText(random, alphabet, random.nextInt(20)));
            for (int k = random.nextInt(4); k > 0; k--) {
                String secret = secrets.get(random.nextInt(2));
                int from = random.nextInt(secret.length());
                text.append(secret, from, Math.min(secret.length(), from + 4 + random.nextInt(20))).append(randomText(random, alphabet, random.nextInt(6)));
            }
            String expected = maskedByDefinition(text.toString(), secrets);
            assertThat(Redactor.of(secrets).redact(text.toString())).as("secrets %s, text [%s]", secrets, text)
                    .isEqualTo(Redactor.patternsOnly().redact(expected));
        }
    }

    private static String randomText(Random random, String alphabet, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private static String maskedByDefinition(String text, List<String> secrets) {
        boolean[] hidden = new boolean[text.length()];
        for (int i = 0; i + 8 <= text.length(); i++) {
            String piece = text.substring(i, i + 8);
            if (secrets.stream().anyMatch(s -> s.contains(piece))) {
                java.util.Arrays.fill(hidden, i, i + 8, true);
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            if (!hidden[i]) {
                out.append(text.charAt(i));
            } else if (i == 0 || !hidden[i - 1]) {
                out.append("***");
            }
        }
        return out.toString();
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
