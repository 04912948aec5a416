package io.jingnei.core.entry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.testing.FakeTime;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JINGNEI_EMBEDDER=remote: /v1/embeddings proxied to the upstream, with personal information masked and a model named by the operator. */
class RemoteEmbeddingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeUpstream upstream;

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    private static Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>(Map.of("JINGNEI_LLM_BASE_URL", upstream.baseUrl(), "JINGNEI_LLM_API_KEY", FakeUpstream.KEY,
                "JINGNEI_RAG_ENABLED", "false", "JINGNEI_EMBEDDER", "remote"));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    @Test
    void without_a_named_embedding_model_the_instance_does_not_start() {
        assertThatThrownBy(() -> JingneiInstance.boot(Env.of(env()), new FakeTime(), new CallLog(line -> { }), Optional::empty))
                .isInstanceOf(ConfigException.class).hasMessageContaining("JINGNEI_EMBEDDING_MODEL");
    }

    @Test
    void texts_go_upstream_masked_under_the_configured_model_and_the_answer_comes_back() throws Exception {
        upstream.reset(); // the fake answers /embeddings with a vector computed from each text it receives
        Map<String, String> settings = env("JINGNEI_EMBEDDING_MODEL", "text-embedding-v3");
        try (JingneiInstance instance = JingneiInstance.boot(Env.of(settings), new FakeTime(), new CallLog(line -> { }), Optional::empty)) {
            OpenAiSurface surface = new OpenAiSurface(instance, Env.of(settings));
            ObjectNode body = (ObjectNode) JSON.readTree("{\"input\":[\"我的手机号13812345678收不到验证码\"]}");

            ObjectNode answer = surface.embeddings(Caller.anonymous(), body, "emb-1").get(10, TimeUnit.SECONDS);

            assertThat(answer.path("data").path(0).path("embedding")).hasSize(8);
            assertThat(answer.path("model").asText()).isEqualTo("text-embedding-v3");
            RecordedRequest sent = upstream.requests().stream().filter(r -> r.path.endsWith("/embeddings")).findFirst().orElseThrow();
            assertThat(sent.json().path("model").asText()).isEqualTo("text-embedding-v3");
            assertThat(sent.body).doesNotContain("13812345678").contains("[手机号1]");
        }
    }
}
