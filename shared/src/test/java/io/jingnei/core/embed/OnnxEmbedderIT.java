package io.jingnei.core.embed;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The real bge-small-zh-v1.5 model, in process. */
class OnnxEmbedderIT {
    private static OnnxEmbedder embedder;

    @BeforeAll
    static void load() {
        embedder = OnnxEmbedder.load(2);
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    private static float cosine(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void embeds_chinese_into_normalised_512_dimensional_vectors() {
        List<float[]> vectors = embedder.embed(List.of("怎么申请退货？", "我想退掉这件衣服", "今天北京天气怎么样"));

        assertThat(vectors).hasSize(3);
        for (float[] v : vectors) {
            assertThat(v).hasSize(512);
            assertThat(cosine(v, v)).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
        }
        assertThat(cosine(vectors.get(0), vectors.get(1))).as("paraphrase closer than an unrelated question")
                .isGreaterThan(cosine(vectors.get(0), vectors.get(2)) + 0.1f);
    }

    @Test
    void a_text_embeds_the_same_whatever_else_is_in_the_call() {
        float[] alone = embedder.embed(List.of("七天无理由退货")).get(0);
        float[] inBatch = embedder.embed(List.of("一个长得多的句子，用来让这一批的填充长度不同。", "七天无理由退货")).get(1);

        assertThat(inBatch).containsExactly(alone);
    }

    @Test
    void very_long_text_is_truncated_not_refused() {
        assertThat(embedder.embed(List.of("退货".repeat(2000))).get(0)).hasSize(512);
    }
}
