package io.jingnei.fc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.testing.CodePackage;
import io.jingnei.core.testing.Events;
import io.jingnei.core.testing.HandlerBackends;
import io.jingnei.core.testing.KnowledgeBaseFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Paths;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged index-build function (target/jingnei-fc-index-build.zip) in a class loader of its
 * own, as FC's java11 runtime loads it, driven by the sample OSS and timer events (bucket and key
 * changed to the knowledge base's): an object in the knowledge base rebuilds the index, an object
 * of the index's own output does not, a timer's payload passes options. The knowledge base holds a
 * DOCX written by POI, so the parsers must be in this package; the event functions' package must
 * not carry them.
 */
class FcIndexBuildIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HANDLER = "io.jingnei.fc.IndexBuildHandler";
    private static HandlerBackends backends;
    private static KnowledgeBaseFiles kb;
    private static ClassLoader instance;
    private static Object function;

    @BeforeAll
    static void start() throws Exception {
        backends = new HandlerBackends("jingnei-kb", "oss://jingnei-kb/faq-batch/");
        kb = new KnowledgeBaseFiles(backends.s3, "oss://jingnei-kb/");
        System.setProperty("JINGNEI_KB_URI", "oss://jingnei-kb/docs/");
        System.setProperty("JINGNEI_INDEX_URI", "oss://jingnei-kb/index/faq.jnix");
        instance = CodePackage.unzip(Paths.get("target/jingnei-fc-index-build.zip")).newLoader();
        Thread.currentThread().setContextClassLoader(ClassLoader.getPlatformClassLoader());
        function = instance.loadClass(HANDLER).getDeclaredConstructor().newInstance();
        FcRuntime.initialize(instance, function, "init-index-build");
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty("JINGNEI_KB_URI");
        System.clearProperty("JINGNEI_INDEX_URI");
        kb.close();
        backends.close();
    }

    private static JsonNode invoke(byte[] event, String requestId) throws Exception {
        return JSON.readTree(FcRuntime.handle(instance, function, event, requestId));
    }

    /** The sample OSS event, about {@code key} in the knowledge-base bucket. */
    private static byte[] ossEvent(String key) {
        return Events.text("fc-oss-object-created.json").replace("\"name\": \"jingnei-faq\"", "\"name\": \"jingnei-kb\"")
                .replace("faq-batch/in/2026-11-11.jsonl", key).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void an_oss_event_in_the_knowledge_base_rebuilds_the_index_its_own_output_does_not_and_a_timer_passes_options() throws Exception {
        kb.putDocx("docs/售后手册.docx", "保修服务", "整机保修一年，电池保修半年。");
        kb.putText("docs/faq.md", "# 退货\n签收后七天内可以无理由退货。");

        JsonNode built = invoke(ossEvent("docs/faq.md"), "req-oss");

        assertThat(built.path("status").asText()).as(built.toString()).isEqualTo("success");
        assertThat(built.path("result").path("version").asLong()).isEqualTo(1);
        assertThat(built.path("result").path("files").findValuesAsText("status")).containsOnly("indexed").hasSize(2);
        assertThat(kb.pointerVersion("index/faq.jnix")).isEqualTo(1);

        for (String own : List.of("index/faq.jnix", "index/faq.jnix.versions/1-0123456789ab.jnix", "index/faq.jnix.versions/2.claim")) {
            JsonNode skipped = invoke(ossEvent(own), "req-own");
            assertThat(skipped.path("status").asText()).as(own).isEqualTo("skipped");
            assertThat(skipped.path("reason").asText()).contains("the index's own output");
        }
        JsonNode elsewhere = invoke(ossEvent("faq-batch/in/2026-11-11.jsonl"), "req-elsewhere");
        assertThat(elsewhere.path("status").asText()).isEqualTo("skipped");
        assertThat(kb.pointerVersion("index/faq.jnix")).as("no rebuild from the index's own writes").isEqualTo(1);

        kb.putText("docs/faq.md", "# 退货\n签收后十五天内可以无理由退货。");
        byte[] timer = Events.text("fc-timer.json").replace("{\\\"input\\\":\\\"faq-batch/in/nightly.jsonl\\\"}", "{\\\"int8\\\":true}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        JsonNode nightly = invoke(timer, "req-timer");

        assertThat(nightly.path("status").asText()).as(nightly.toString()).isEqualTo("success");
        assertThat(nightly.path("result").path("version").asLong()).isEqualTo(2);
        assertThat(nightly.path("result").path("int8").asBoolean()).isTrue();
        assertThat(nightly.path("result").path("embedded").asInt()).isEqualTo(1);
        assertThat(nightly.path("result").path("reused").asInt()).isEqualTo(1);
        assertThat(kb.pointerVersion("index/faq.jnix")).isEqualTo(2);
    }

    @Test
    void a_timer_payload_that_is_not_options_is_a_clear_json_error() throws Exception {
        byte[] timer = Events.text("fc-timer.json").replace("{\\\"input\\\":\\\"faq-batch/in/nightly.jsonl\\\"}", "rebuild")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        JsonNode reply = invoke(timer, "req-bad-timer");

        assertThat(reply.path("status").asText()).isEqualTo("invalid_request");
        assertThat(reply.path("request_id").asText()).isEqualTo("req-bad-timer");
    }

    @Test
    void only_the_index_build_package_carries_the_document_parsers() throws Exception {
        CodePackage events = CodePackage.unzip(Paths.get("target/jingnei-fc.zip"));
        CodePackage indexBuild = CodePackage.unzip(Paths.get("target/jingnei-fc-index-build.zip"));
        for (String parser : List.of("org/apache/pdfbox/", "org/apache/poi/", "org/jsoup/")) {
            assertThat(events.entriesContaining(parser)).as("chat, rag-query and faq-batch's package: " + parser).isEmpty();
            assertThat(indexBuild.entriesContaining(parser)).as("index-build's package: " + parser).isNotEmpty();
        }
        assertThat(indexBuild.classesNewerThan(55)).isEmpty();
    }
}
