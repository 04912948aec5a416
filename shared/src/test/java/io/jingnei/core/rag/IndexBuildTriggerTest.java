package io.jingnei.core.rag;

import io.jingnei.core.error.JingneiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which object and timer events start a build: a table of events and the decision. */
class IndexBuildTriggerTest {
    private final IndexBuildTrigger trigger = new IndexBuildTrigger(Optional.of("oss://jingnei-kb/docs/"),
            Optional.of("oss://jingnei-kb/index/faq.jnix"));

    @ParameterizedTest(name = "{0}://{1}/{2} -> {3}")
    @CsvSource({
            "oss, jingnei-kb, docs/退换货政策.pdf, build",
            "oss, jingnei-kb, docs/sub/常见问题.xlsx, build",
            "oss, jingnei-kb, /docs/faq.md, build",
            "oss, jingnei-kb, index/faq.jnix, skip",
            "oss, jingnei-kb, index/faq.jnix.versions/8-0123456789ab.jnix, skip",
            "oss, jingnei-kb, index/faq.jnix.versions/9.claim, skip",
            "oss, jingnei-kb, index/faq.jnix.versions/pointer.lock, skip",
            "oss, jingnei-kb, docs2/faq.md, skip",
            "oss, jingnei-kb, faq-batch/in/2026-11-11.jsonl, skip",
            "oss, someone-else, docs/faq.md, skip",
            "cos, jingnei-kb, docs/faq.md, skip",
    })
    void an_object_event_rebuilds_only_for_objects_in_the_knowledge_base(String scheme, String bucket, String key, String expected) {
        IndexBuildTrigger.Decision decision = trigger.onObject(scheme, bucket, key);

        if (expected.equals("build")) {
            assertThat(decision.build.input).isEqualTo("oss://jingnei-kb/docs/");
            assertThat(decision.build.output).isEqualTo("oss://jingnei-kb/index/faq.jnix");
            assertThat(decision.skipped).isNull();
        } else {
            assertThat(decision.build).isNull();
            assertThat(decision.skipped).isNotBlank();
        }
    }

    @Test
    void the_index_inside_the_knowledge_base_prefix_still_never_triggers_its_own_rebuild() {
        IndexBuildTrigger overlapping = new IndexBuildTrigger(Optional.of("oss://jingnei-kb/"), Optional.of("oss://jingnei-kb/index/faq.jnix"));

        assertThat(overlapping.onObject("oss", "jingnei-kb", "index/faq.jnix").skipped).contains("the index's own output");
        assertThat(overlapping.onObject("oss", "jingnei-kb", "index/faq.jnix.versions/3-abc.jnix").skipped).contains("own output");
        assertThat(overlapping.onObject("oss", "jingnei-kb", "manuals/保修.docx").build).isNotNull();
    }

    @Test
    void a_timer_builds_the_configured_knowledge_base_or_the_options_of_its_payload() {
        IndexBuildRequest plain = trigger.onTimer("");
        assertThat(plain.input).isEqualTo("oss://jingnei-kb/docs/");
        assertThat(plain.output).isEqualTo("oss://jingnei-kb/index/faq.jnix");
        assertThat(plain.int8).isNull();

        IndexBuildRequest options = trigger.onTimer("{\"input\":\"oss://jingnei-kb/other/\",\"int8\":true}");
        assertThat(options.input).isEqualTo("oss://jingnei-kb/other/");
        assertThat(options.output).isEqualTo("oss://jingnei-kb/index/faq.jnix");
        assertThat(options.int8).isTrue();

        IndexBuildRequest rollback = trigger.onTimer("{\"rollback\":6}");
        assertThat(rollback.rollback).isEqualTo(6L);
        assertThat(rollback.input).isNull();
    }

    @Test
    void a_timer_payload_that_is_not_json_options_is_a_clear_invalid_request() {
        assertThatThrownBy(() -> trigger.onTimer("rebuild please")).isInstanceOf(JingneiException.class)
                .satisfies(e -> assertThat(((JingneiException) e).kind().status).isEqualTo("invalid_request"));
        assertThatThrownBy(() -> trigger.onTimer("{\"int8\":\"yes please\"}")).hasMessageContaining("int8");
    }

    @Test
    void without_a_configured_knowledge_base_an_event_names_the_missing_setting() {
        IndexBuildTrigger unconfigured = new IndexBuildTrigger(Optional.empty(), Optional.of("oss://jingnei-kb/index/faq.jnix"));

        assertThatThrownBy(() -> unconfigured.onObject("oss", "jingnei-kb", "docs/a.md")).hasMessageContaining("JINGNEI_KB_URI");
        assertThatThrownBy(() -> unconfigured.onTimer(null)).hasMessageContaining("JINGNEI_KB_URI");
        assertThat(unconfigured.onTimer("{\"input\":\"oss://jingnei-kb/docs/\"}").input).isEqualTo("oss://jingnei-kb/docs/");
    }
}
