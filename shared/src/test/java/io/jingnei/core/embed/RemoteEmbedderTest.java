package io.jingnei.core.embed;

import io.jingnei.core.config.Env;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.util.TimeSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The upstream's /v1/embeddings through the real client and the fake upstream's wire format. */
class RemoteEmbedderTest {
    private static FakeUpstream upstream;
    private static JingneiInstance instance;

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start();
        instance = JingneiInstance.boot(Env.of(Map.of("JINGNEI_LLM_BASE_URL", upstream.baseUrl(), "JINGNEI_LLM_API_KEY", FakeUpstream.KEY,
                "JINGNEI_RAG_ENABLED", "false", "JINGNEI_CACHE", "off")), TimeSource.system(), new CallLog(line -> { }), Optional::empty);
    }

    @AfterAll
    static void stop() {
        instance.close();
        upstream.close();
    }

    @Test
    void embeds_in_batches_keeps_the_order_and_normalises() {
        RemoteEmbedder embedder = new RemoteEmbedder(instance.llm(), "text-embedding-3-small", text -> text);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            texts.add("问题" + i);
        }

        List<float[]> vectors = embedder.embed(texts);

        assertThat(vectors).hasSize(70);
        assertThat(embedder.dimension()).isEqualTo(8);
        double norm = 0;
        for (float x : vectors.get(3)) {
            norm += x * x;
        }
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(vectors.get(69)).containsExactly(embedder.embed(List.of("问题69")).get(0));
        assertThat(upstream.requests().stream().filter(r -> r.path.endsWith("/embeddings")).count()).isEqualTo(3);
        assertThat(upstream.requests().get(upstream.requests().size() - 1).json().path("model").asText()).isEqualTo("text-embedding-3-small");
    }

    @Test
    void a_failing_endpoint_is_a_clear_embedding_error() {
        upstream.expectKey("sk-other");
        try {
            assertThatThrownBy(() -> new RemoteEmbedder(instance.llm(), "m", text -> text).embed(List.of("x")))
                    .isInstanceOf(EmbeddingException.class).hasMessageContaining("JINGNEI_LLM_API_KEY").hasMessageNotContaining(FakeUpstream.KEY);
        } finally {
            upstream.expectKey(FakeUpstream.KEY);
        }
    }
}
