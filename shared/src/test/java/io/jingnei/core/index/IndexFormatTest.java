package io.jingnei.core.index;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IndexFormatTest {
    private static final int DIM = 64;
    private static final int COUNT = 2000;
    private final float[] vectors = RandomVectors.normalised(COUNT, DIM, 42);
    private final List<Chunk> chunks = RandomVectors.chunks(COUNT);

    @Test
    void a_float32_index_round_trips_and_finds_the_exact_top_k() {
        VectorIndex index = IndexFormat.read(IndexFormat.write(vectors, DIM, chunks, "bge-small-zh-v1.5", false));

        assertThat(index.size()).isEqualTo(COUNT);
        assertThat(index.dimension()).isEqualTo(DIM);
        assertThat(index.modelId()).isEqualTo("bge-small-zh-v1.5");
        float[] queries = RandomVectors.normalised(20, DIM, 7);
        for (int q = 0; q < 20; q++) {
            float[] query = java.util.Arrays.copyOfRange(queries, q * DIM, (q + 1) * DIM);
            List<Hit> hits = index.search(query, 5);
            assertThat(hits.stream().mapToInt(h -> h.position).toArray()).containsExactly(RandomVectors.bruteForce(vectors, DIM, query, 5));
            assertThat(hits.get(0).score).isGreaterThanOrEqualTo(hits.get(4).score);
        }
        Chunk chunk = index.chunk(1234);
        assertThat(chunk.docId).isEqualTo("doc-411");
        assertThat(chunk.chunkNo).isEqualTo(1);
        assertThat(chunk.text).isEqualTo("第1234段：退货与换货政策。");
        assertThat(chunk.metadataJson).isEqualTo("{\"n\":1234}");
    }

    @Test
    void an_int8_index_is_four_times_smaller_and_keeps_the_ranking() {
        byte[] float32 = IndexFormat.write(vectors, DIM, chunks, "m", false);
        byte[] int8 = IndexFormat.write(vectors, DIM, chunks, "m", true);
        VectorIndex index = IndexFormat.read(int8);

        assertThat(index.quantised()).isTrue();
        int vectorBytes32 = COUNT * DIM * 4;
        int vectorBytes8 = COUNT * DIM + COUNT * 4;
        assertThat(float32.length - int8.length).isEqualTo(vectorBytes32 - vectorBytes8);
        float[] queries = RandomVectors.normalised(50, DIM, 9);
        int found = 0;
        for (int q = 0; q < 50; q++) {
            float[] query = java.util.Arrays.copyOfRange(queries, q * DIM, (q + 1) * DIM);
            int[] exact = RandomVectors.bruteForce(vectors, DIM, query, 10);
            List<Hit> hits = index.search(query, 10);
            for (Hit hit : hits) {
                for (int e : exact) {
                    found += hit.position == e ? 1 : 0;
                }
            }
        }
        assertThat(found / 500.0).as("recall@10 of int8 against exact").isGreaterThan(0.9);
    }

    @Test
    void a_corrupt_index_is_a_clear_error() {
        byte[] data = IndexFormat.write(vectors, DIM, chunks, "m", false);
        byte[] flipped = data.clone();
        flipped[data.length / 2] ^= 0x40;
        assertThatThrownBy(() -> IndexFormat.read(flipped)).isInstanceOf(IndexException.class).hasMessageContaining("checksum");
        byte[] truncated = java.util.Arrays.copyOf(data, data.length - 10);
        assertThatThrownBy(() -> IndexFormat.read(truncated)).hasMessageContaining("truncated");
        assertThatThrownBy(() -> IndexFormat.read("hello world, not an index at all".getBytes()))
                .hasMessageContaining("not a Jingnei index");
        byte[] future = data.clone();
        future[4] = 9;
        assertThatThrownBy(() -> IndexFormat.read(future)).hasMessageContaining("version 9");
    }

    @Test
    void a_query_of_the_wrong_dimension_is_refused() {
        VectorIndex index = IndexFormat.read(IndexFormat.write(vectors, DIM, chunks, "m", false));
        assertThatThrownBy(() -> index.search(new float[512], 3)).hasMessageContaining("512");
    }

    @Test
    void the_vector_api_kernel_agrees_with_the_scalar_one() {
        Kernel best = Kernels.best();
        assertThat(best.name()).as("tests run with jdk.incubator.vector").startsWith("vector-api");
        Kernel scalar = new ScalarKernel();
        float[] query = RandomVectors.normalised(1, DIM + 3, 5);
        float[] data = RandomVectors.normalised(10, DIM + 3, 6);
        Vectors.Int8 q = Vectors.Int8.quantise(data, DIM + 3);
        for (int v = 0; v < 10; v++) {
            assertThat(best.dot(data, v * (DIM + 3), query)).isCloseTo(scalar.dot(data, v * (DIM + 3), query), org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(best.dotInt8(q.values, v * (DIM + 3), query)).isCloseTo(scalar.dotInt8(q.values, v * (DIM + 3), query), org.assertj.core.data.Offset.offset(1e-3f));
        }
    }
}
