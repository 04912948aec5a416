package io.jingnei.scf;

import com.fasterxml.jackson.databind.JsonNode;
import io.jingnei.core.testing.CodePackage;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.HandlerBackends;
import io.jingnei.core.testing.InstanceProcess;
import io.jingnei.core.testing.MissingIndex;
import io.jingnei.core.testing.Reply;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.jingnei.core.testing.MissingIndex.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RAG failures on SCF's Java11 runtime, through the packaged code zip and serverless.yml's one
 * handler (EventHandler), each instance in a JVM of its own with the real model: an index missing
 * at start and a model that cannot load. The instance keeps serving: rag-query answers the cause as
 * a 503 JSON error, chat works, and a missing index is loaded by itself once it appears.
 */
class ScfRagRecoveryIT {
    private static final String HANDLER = "io.jingnei.scf.EventHandler";

    private static JsonNode call(InstanceProcess instance, String path, String query) throws Exception {
        String event = new String(HandlerBackends.withBody("scf-apigw.json", "{\"query\":\"" + query + "\"}"), StandardCharsets.UTF_8)
                .replace("/rag-query", path);
        return instance.invoke(HANDLER, "java.util.Map", event.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void an_index_missing_at_start_is_answered_as_index_unavailable_then_served_as_soon_as_it_appears() throws Exception {
        CodePackage code = CodePackage.unzip(Paths.get("target/jingnei-scf.zip"));
        MissingIndex rag = MissingIndex.create();
        try (FakeUpstream upstream = FakeUpstream.start();
             InstanceProcess instance = InstanceProcess.start(code, ScfRuntime.class, rag.env(upstream))) {
            JsonNode unavailable = call(instance, "/rag-query", "积分多久过期");
            assertThat(unavailable.path("statusCode").asInt()).as(unavailable.toString()).isEqualTo(503);
            assertThat(body(unavailable).path("status").asText()).isEqualTo("index_unavailable");
            assertThat(body(unavailable).path("error").asText()).contains("kb.jnix");
            assertThat(call(instance, "/chat", "你好").path("statusCode").asInt()).as("chat works without RAG").isEqualTo(200);

            rag.build(code);

            // Each query that comes after the retry is due (1 s, doubling up to 30 s) starts a load.
            upstream.fallback(Reply.completion("积分一年有效。", 100, 10));
            JsonNode answered = unavailable;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (answered.path("statusCode").asInt() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(500);
                answered = call(instance, "/rag-query", "积分多久过期");
            }
            assertThat(answered.path("statusCode").asInt()).as(instance.log()).isEqualTo(200);
            assertThat(MissingIndex.sourceIds(answered)).contains("points");
            assertThat(instance.log()).contains("index load failed").contains("index loaded after failed loads");
        }
    }

    @Test
    void a_model_that_cannot_load_is_answered_with_its_cause_on_every_rag_query_while_chat_works() throws Exception {
        CodePackage broken = CodePackage.unzip(Paths.get("target/jingnei-scf.zip"));
        assertThat(broken.removeFromJars("bge-small-zh-v1.5-q.onnx")).hasSize(1);
        try (FakeUpstream upstream = FakeUpstream.start();
             InstanceProcess instance = InstanceProcess.start(broken, ScfRuntime.class, Map.of(
                     "JINGNEI_LLM_BASE_URL", upstream.baseUrl(), "JINGNEI_LLM_API_KEY", FakeUpstream.KEY,
                     "JINGNEI_CLIENT_KEYS", MissingIndex.CLIENT_KEY + ":model-check"))) {
            for (int call = 0; call < 2; call++) {
                JsonNode failed = call(instance, "/rag-query", "积分多久过期");
                assertThat(failed.path("statusCode").asInt()).as(failed.toString()).isEqualTo(503);
                assertThat(body(failed).path("status").asText()).isEqualTo("embedding_error");
                assertThat(body(failed).path("error").asText()).contains("cannot load the local embedding model");
            }
            assertThat(call(instance, "/chat", "你好").path("statusCode").asInt()).as("chat works without RAG").isEqualTo(200);
            assertThat(upstream.completionRequests()).hasSize(1);
        }
    }
}
