package io.jingnei.core.log;

import org.junit.jupiter.api.Test;

import java.util.List;

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
}
