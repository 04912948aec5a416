package io.jingnei.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.testing.CodePackage;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Reply;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged web function (custom runtime) started with an index that does not exist yet:
 * /initialize still succeeds (chat works), /health says failed with the cause, rag-query answers
 * index_unavailable; once an admin builds the index to that URI, the instance loads it by itself
 * (retried with backoff, started by the platform's health checks) and answers from it. A package
 * whose model cannot load is handled the same way as on the built-in runtimes (FcRagRecoveryIT,
 * ScfRagRecoveryIT): the instance starts, chat works, rag-query answers the cause.
 */
class RagRecoveryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT = "ck-recovery-check-0001";
    private static final String ADMIN = "ak-recovery-check-0001";

    @Test
    void an_index_missing_at_start_is_reported_then_served_as_soon_as_it_appears() throws Exception {
        Path dir = Files.createTempDirectory("jingnei-recovery-").toRealPath();
        Path kb = Files.writeString(dir.resolve("kb.jsonl"), "{\"id\":\"card\",\"content\":\"会员年卡88元，全年包邮。\"}\n"
                + "{\"id\":\"points\",\"content\":\"积分一年有效，到期自动清零。\"}\n");
        Path index = dir.resolve("index/kb.jnix");
        try (FakeUpstream upstream = FakeUpstream.start();
             WebFunction web = WebFunction.start(Descriptors.ROOT.resolve("functions/app/target/jingnei-web.zip"), Map.of(
                     "JINGNEI_LLM_BASE_URL", upstream.baseUrl(),
                     "JINGNEI_LLM_API_KEY", FakeUpstream.KEY,
                     "JINGNEI_CLIENT_KEYS", CLIENT + ":ops",
                     "JINGNEI_ADMIN_KEYS", ADMIN,
                     "JINGNEI_STORAGE_ALLOW", dir.toUri().toString(),
                     "JINGNEI_INDEX_URI", index.toUri().toString(),
                     // Remote embeddings (the fake upstream's): this check is about recovery, not the model.
                     "JINGNEI_EMBEDDER", "remote",
                     "JINGNEI_EMBEDDING_MODEL", "text-embedding-v3"))) {
            web.awaitUp();
            HttpResponse<String> initialize = web.control("/initialize", "POST");
            assertThat(initialize.statusCode()).as(initialize.body()).isEqualTo(200);

            JsonNode health = JSON.readTree(web.get("/health").body());
            assertThat(health.path("status").asText()).isEqualTo("UP");
            assertThat(health.path("rag").asText()).isEqualTo("failed");
            assertThat(health.path("rag_error").asText()).contains("kb.jnix");
            HttpResponse<String> unavailable = web.post("/rag-query", CLIENT, "{\"query\":\"积分多久过期\"}");
            assertThat(unavailable.statusCode()).as(unavailable.body()).isEqualTo(503);
            assertThat(JSON.readTree(unavailable.body()).path("status").asText()).isEqualTo("index_unavailable");
            assertThat(web.post("/chat", CLIENT, "{\"query\":\"你好\"}").statusCode()).as("chat works without RAG").isEqualTo(200);

            HttpResponse<String> built = web.post("/index-build", ADMIN, "{\"input\":\"" + kb.toUri() + "\",\"output\":\"" + index.toUri() + "\"}");
            assertThat(built.statusCode()).as(built.body()).isEqualTo(200);

            // The platform probes /health every few seconds; the retry is due within 30 s of the last failure.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            String rag = health.path("rag").asText();
            while (!"ready".equals(rag) && System.nanoTime() < deadline) {
                Thread.sleep(500);
                rag = JSON.readTree(web.get("/health").body()).path("rag").asText();
            }
            assertThat(rag).as(web.log()).isEqualTo("ready");
            upstream.enqueue(Reply.completion("积分一年有效。", 100, 10));
            HttpResponse<String> answered = web.post("/rag-query", CLIENT, "{\"query\":\"积分多久过期\"}");
            assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
            assertThat(JSON.readTree(answered.body()).path("sources").findValuesAsText("id")).contains("points");
            assertThat(web.log()).contains("index load failed").contains("index loaded after failed loads");
        }
    }

    @Test
    void a_model_that_cannot_load_is_reported_and_answered_with_its_cause_while_chat_works() throws Exception {
        CodePackage broken = CodePackage.unzip(Descriptors.ROOT.resolve("functions/app/target/jingnei-web.zip"));
        assertThat(broken.removeFromJars("bge-small-zh-v1.5-q.onnx")).hasSize(1);
        try (FakeUpstream upstream = FakeUpstream.start();
             WebFunction web = WebFunction.start(broken, Map.of(
                     "JINGNEI_LLM_BASE_URL", upstream.baseUrl(),
                     "JINGNEI_LLM_API_KEY", FakeUpstream.KEY,
                     "JINGNEI_CLIENT_KEYS", CLIENT + ":ops"))) {
            web.awaitUp();
            HttpResponse<String> initialize = web.control("/initialize", "POST");
            assertThat(initialize.statusCode()).as(initialize.body()).isEqualTo(200);

            JsonNode health = JSON.readTree(web.get("/health").body());
            assertThat(health.path("status").asText()).isEqualTo("UP");
            assertThat(health.path("rag").asText()).isEqualTo("failed");
            assertThat(health.path("rag_error").asText()).contains("cannot load the local embedding model");
            for (int call = 0; call < 2; call++) {
                HttpResponse<String> failed = web.post("/rag-query", CLIENT, "{\"query\":\"积分多久过期\"}");
                assertThat(failed.statusCode()).as(failed.body()).isEqualTo(503);
                assertThat(JSON.readTree(failed.body()).path("status").asText()).isEqualTo("embedding_error");
            }
            assertThat(web.post("/chat", CLIENT, "{\"query\":\"你好\"}").statusCode()).as("chat works without RAG").isEqualTo(200);
            assertThat(web.log()).contains("initialized without RAG ready");
        }
    }
}
