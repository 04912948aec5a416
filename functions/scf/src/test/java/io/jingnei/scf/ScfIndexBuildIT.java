package io.jingnei.scf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.testing.CodePackage;
import io.jingnei.core.testing.Events;
import io.jingnei.core.testing.HandlerBackends;
import io.jingnei.core.testing.KnowledgeBaseFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged SCF index-build function (target/jingnei-scf-index-build.zip) in its own class
 * loader, called as the Java11 runtime calls {@code IndexBuildEventHandler::handle} with the
 * sample COS and timer events (bucket and key changed to the knowledge base's): a COS object in
 * the knowledge base rebuilds the index, one of the index's own output does not, a timer's Message
 * passes options. The knowledge base holds a DOCX written by POI, so this package needs the parsers;
 * the event functions' package must not carry them.
 */
class ScfIndexBuildIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HANDLER = "io.jingnei.scf.IndexBuildEventHandler";
    private static final String BUCKET = "jingnei-kb-1250000000";
    private static HandlerBackends backends;
    private static KnowledgeBaseFiles kb;
    private static ClassLoader instance;

    @BeforeAll
    static void start() throws Exception {
        backends = new HandlerBackends(BUCKET, "cos://" + BUCKET + "/faq-batch/");
        kb = new KnowledgeBaseFiles(backends.s3, "cos://" + BUCKET + "/");
        System.setProperty("JINGNEI_KB_URI", "cos://" + BUCKET + "/docs/");
        System.setProperty("JINGNEI_INDEX_URI", "cos://" + BUCKET + "/index/faq.jnix");
        instance = CodePackage.unzip(Paths.get("target/jingnei-scf-index-build.zip")).newLoader();
        Thread.currentThread().setContextClassLoader(ClassLoader.getPlatformClassLoader());
    }

    @AfterAll
    static void stop() {
        System.clearProperty("JINGNEI_KB_URI");
        System.clearProperty("JINGNEI_INDEX_URI");
        kb.close();
        backends.close();
    }

    private static JsonNode invoke(byte[] event, String requestId) throws Exception {
        return JSON.readTree(ScfRuntime.call(instance, HANDLER, "java.util.Map", event, requestId));
    }

    /** The sample COS event about {@code key} in the knowledge-base bucket (jingnei-kb, APPID 1250000000). */
    private static byte[] cosEvent(String key) {
        return Events.text("scf-cos-object-created.json").replace("\"name\": \"jingnei-faq\"", "\"name\": \"jingnei-kb\"")
                .replace("jingnei-faq/faq-batch/in/2026-11-11.jsonl", "jingnei-kb/" + key)
                .replace("jingnei-faq-1250000000.cos.ap-guangzhou.myqcloud.com/faq-batch/in/2026-11-11.jsonl",
                        "jingnei-kb-1250000000.cos.ap-guangzhou.myqcloud.com/" + key)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] timer(String message) {
        return Events.text("scf-timer.json").replace("{\\\"input\\\":\\\"faq-batch/in/nightly.jsonl\\\"}", message)
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void a_cos_event_in_the_knowledge_base_rebuilds_the_index_its_own_output_does_not_and_a_timer_passes_options() throws Exception {
        kb.putDocx("docs/售后手册.docx", "保修服务", "整机保修一年，电池保修半年。");
        kb.putText("docs/faq.md", "# 退货\n签收后七天内可以无理由退货。");

        JsonNode built = invoke(cosEvent("docs/faq.md"), "scf-cos");

        assertThat(built.path("status").asText()).as(built.toString()).isEqualTo("success");
        assertThat(built.path("result").path("version").asLong()).isEqualTo(1);
        assertThat(built.path("result").path("files").findValuesAsText("status")).containsOnly("indexed").hasSize(2);
        assertThat(kb.pointerVersion("index/faq.jnix")).isEqualTo(1);

        for (String own : List.of("index/faq.jnix", "index/faq.jnix.versions/1-0123456789ab.jnix", "index/faq.jnix.versions/pointer.lock")) {
            JsonNode skipped = invoke(cosEvent(own), "scf-own");
            assertThat(skipped.path("status").asText()).as(own).isEqualTo("skipped");
            assertThat(skipped.path("reason").asText()).contains("the index's own output");
        }
        assertThat(kb.pointerVersion("index/faq.jnix")).as("no rebuild from the index's own writes").isEqualTo(1);

        kb.putText("docs/faq.md", "# 退货\n签收后十五天内可以无理由退货。");
        JsonNode nightly = invoke(timer("{\\\"int8\\\":true}"), "scf-timer");

        assertThat(nightly.path("status").asText()).as(nightly.toString()).isEqualTo("success");
        assertThat(nightly.path("result").path("version").asLong()).isEqualTo(2);
        assertThat(nightly.path("result").path("int8").asBoolean()).isTrue();
        assertThat(nightly.path("result").path("embedded").asInt()).isEqualTo(1);
        assertThat(kb.pointerVersion("index/faq.jnix")).isEqualTo(2);
    }

    @Test
    void an_event_of_another_kind_is_a_clear_json_error() throws Exception {
        JsonNode reply = invoke(Events.bytes("scf-apigw.json"), "scf-apigw");

        assertThat(reply.path("status").asText()).isEqualTo("invalid_request");
        assertThat(reply.path("error").asText()).contains("expected COS or timer");
    }

    @Test
    void only_the_index_build_package_carries_the_document_parsers() throws Exception {
        CodePackage events = CodePackage.unzip(Paths.get("target/jingnei-scf.zip"));
        CodePackage indexBuild = CodePackage.unzip(Paths.get("target/jingnei-scf-index-build.zip"));
        for (String parser : List.of("org/apache/pdfbox/", "org/apache/poi/", "org/jsoup/")) {
            assertThat(events.entriesContaining(parser)).as("the event function's package: " + parser).isEmpty();
            assertThat(indexBuild.entriesContaining(parser)).as("index-build's package: " + parser).isNotEmpty();
        }
        assertThat(indexBuild.classesNewerThan(55)).isEmpty();
    }
}
