package io.jingnei.core.storage;

import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where request and event URIs may point, as a table: URI and access in, allowed or refused out. */
class StorageAllowListTest {
    private static final StorageAllowList LIST = StorageAllowList.from(Env.of(Map.of(
            "JINGNEI_STORAGE_ALLOW", "r:oss://kb-bucket/docs/,file:///srv/kb/",
            "JINGNEI_INDEX_URI", "oss://kb-bucket/index/faq.jnix",
            "JINGNEI_FAQ_BASE_URI", "oss://jingnei-faq/")));

    @ParameterizedTest(name = "{1} {0} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "oss://kb-bucket/docs/a.jsonl             | READ  | allowed",
            "oss://kb-bucket/docs/a.jsonl             | WRITE | forbidden",
            "oss://kb-bucket/index/faq.jnix           | READ  | allowed",
            "oss://kb-bucket/index/faq.jnix           | WRITE | forbidden",
            "oss://kb-bucket/secrets/x                | READ  | forbidden",
            "oss://jingnei-faq/faq-batch/in/a.jsonl   | READ  | allowed",
            "oss://jingnei-faq/faq-batch/out/a.jsonl  | WRITE | allowed",
            "OSS://Jingnei-FAQ/faq-batch/out/a.jsonl  | WRITE | allowed",
            "oss://jingnei-faq-evil/a.jsonl           | READ  | forbidden",
            "s3://jingnei-faq/a.jsonl                 | READ  | forbidden",
            "cos://kb-bucket/docs/a.jsonl             | READ  | forbidden",
            "file:///srv/kb/faq.md                    | READ  | allowed",
            "file:///srv/kb/out/index.jnix            | WRITE | allowed",
            "file:///srv/kbx/faq.md                   | READ  | forbidden",
            "file:///etc/passwd                       | READ  | forbidden",
            "file:///tmp/x.jsonl                      | WRITE | forbidden",
            "/etc/passwd                              | READ  | forbidden",
            "oss://jingnei-faq/faq-batch/../x         | READ  | invalid",
            "oss://jingnei-faq/faq-batch/%2e%2e/x     | READ  | invalid",
            "oss://jingnei-faq/faq-batch/%2E%2e/x     | READ  | invalid",
            "oss://jingnei-faq/faq-batch/./x          | READ  | invalid",
            "file:///srv/kb/../../etc/passwd          | READ  | invalid",
            "file:///srv/kb/%2f..%2fetc               | READ  | invalid",
            "oss://jingnei-faq/a\\b                   | READ  | invalid",
            "file:///tmp/%zz                          | READ  | invalid",
            "oss:///no-bucket                         | READ  | invalid",
            "oss://user@jingnei-faq/x                 | READ  | invalid",
            "oss://jingnei-faq:9000/x                 | READ  | invalid",
            "oss://jingnei-faq/x?versionId=1          | READ  | invalid",
            "http://169.254.169.254/latest            | READ  | invalid",
            "jar:file:///app.jar!/x                   | READ  | invalid",
    })
    void decides_each_uri(String text, StorageAllowList.Access access, String outcome) {
        if (outcome.equals("invalid")) {
            assertThatThrownBy(() -> StorageUris.parse(text)).isInstanceOf(JingneiException.class)
                    .satisfies(e -> assertThat(((JingneiException) e).kind()).isEqualTo(ErrorKind.INVALID_REQUEST));
            return;
        }
        assertThat(LIST.allows(StorageUris.parse(text), access)).isEqualTo(outcome.equals("allowed"));
    }

    @ParameterizedTest(name = "with JINGNEI_KB_URI: {1} {0} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "oss://kb-bucket/docs/退换货政策.pdf                | READ  | allowed",
            "oss://kb-bucket/docs/退换货政策.pdf                | WRITE | forbidden",
            "oss://kb-bucket/index/faq.jnix                   | WRITE | allowed",
            "oss://kb-bucket/index/faq.jnix.versions/3.claim  | WRITE | allowed",
            "oss://kb-bucket/index/faq.jnix.evil              | WRITE | forbidden",
            "oss://kb-bucket/index/other.jnix                 | WRITE | forbidden",
            "oss://kb-bucket/secrets/x                        | READ  | forbidden",
    })
    void an_event_build_may_read_its_knowledge_base_and_write_only_its_index_and_versions(String text, StorageAllowList.Access access,
                                                                                       String outcome) {
        StorageAllowList events = StorageAllowList.from(Env.of(Map.of(
                "JINGNEI_KB_URI", "oss://kb-bucket/docs/", "JINGNEI_INDEX_URI", "oss://kb-bucket/index/faq.jnix")));

        assertThat(events.allows(StorageUris.parse(text), access)).isEqualTo(outcome.equals("allowed"));
    }

    @Test
    void a_nul_is_refused() {
        assertThatThrownBy(() -> StorageUris.parse("oss://jingnei-faq/a\u0000.jsonl")).isInstanceOf(JingneiException.class);
    }

    @Test
    void the_refusal_names_the_setting_and_not_whether_the_object_exists() {
        assertThatThrownBy(() -> LIST.check(StorageUris.parse("file:///etc/passwd"), StorageAllowList.Access.READ))
                .hasMessageContaining("JINGNEI_STORAGE_ALLOW").hasMessageNotContaining("no such file")
                .satisfies(e -> assertThat(((JingneiException) e).kind()).isEqualTo(ErrorKind.FORBIDDEN));
    }

    @Test
    void file_uris_of_the_configuration_are_not_allowed_for_requests_unless_listed() {
        StorageAllowList local = StorageAllowList.from(Env.of(Map.of("JINGNEI_INDEX_URI", "file:///srv/index/faq.jnix")));
        assertThat(local.allows(StorageUris.parse("file:///srv/index/faq.jnix"), StorageAllowList.Access.READ)).isFalse();
        assertThat(local.isEmpty()).isTrue();
    }

    @Test
    void a_bad_entry_is_a_start_up_error_naming_the_setting() {
        assertThatThrownBy(() -> StorageAllowList.from(Env.of(Map.of("JINGNEI_STORAGE_ALLOW", "oss://b/../x"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("JINGNEI_STORAGE_ALLOW");
    }
}
