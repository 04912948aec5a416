package io.jingnei.core.index;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Both kernels against a straightforward double-precision dot, on sizes that exercise every tail. */
class KernelTest {
    private static final int[] DIMENSIONS = {1, 7, 15, 16, 17, 33, 384, 511, 512, 513};
    private final Kernel simd = Kernels.best();
    private final Kernel scalar = new ScalarKernel();

    @Test
    void the_tests_run_the_vector_api_kernel() {
        assertThat(simd.name()).as("tests run with jdk.incubator.vector and C2").startsWith("vector-api");
    }

    @Test
    void float_dots_match_the_reference_for_every_dimension_and_batch_size() {
        for (int dimension : DIMENSIONS) {
            int count = 37;
            float[] vectors = RandomVectors.normalised(count, dimension, dimension);
            float[] query = RandomVectors.normalised(1, dimension, 1000 + dimension);
            for (Kernel kernel : List.of(simd, scalar)) {
                for (int v = 0; v < count; v++) {
                    assertThat(kernel.dot(vectors, v * dimension, query)).as("%s dot, dimension %d", kernel.name(), dimension)
                            .isCloseTo((float) reference(vectors, v * dimension, query), within(floatTolerance(vectors, v * dimension, query)));
                }
                for (int first = 0; first < 3; first++) {
                    for (int batch = 0; batch <= count - first; batch++) {
                        float[] scores = new float[batch];
                        kernel.dots(vectors, dimension, first, batch, query, scores);
                        for (int j = 0; j < batch; j++) {
                            int offset = (first + j) * dimension;
                            assertThat(scores[j]).as("%s dots, dimension %d, vector %d of %d from %d", kernel.name(), dimension, j, batch, first)
                                    .isCloseTo((float) reference(vectors, offset, query), within(floatTolerance(vectors, offset, query)));
                        }
                    }
                }
            }
        }
    }

    @Test
    void int8_dots_match_the_reference_for_every_dimension_and_batch_size() {
        for (int dimension : DIMENSIONS) {
            int count = 37;
            byte[] vectors = randomBytes(count * dimension, dimension);
            float[] query = RandomVectors.normalised(1, dimension, 2000 + dimension);
            for (Kernel kernel : List.of(simd, scalar)) {
                for (int v = 0; v < count; v++) {
                    assertThat(kernel.dotInt8(vectors, v * dimension, query)).as("%s dotInt8, dimension %d", kernel.name(), dimension)
                            .isCloseTo((float) reference(vectors, v * dimension, query), within(int8Tolerance(vectors, v * dimension, query)));
                }
                for (int first = 0; first < 3; first++) {
                    for (int batch = 0; batch <= count - first; batch++) {
                        float[] scores = new float[batch];
                        kernel.dotsInt8(vectors, dimension, first, batch, query, scores);
                        for (int j = 0; j < batch; j++) {
                            int offset = (first + j) * dimension;
                            assertThat(scores[j]).as("%s dotsInt8, dimension %d, vector %d of %d from %d", kernel.name(), dimension, j, batch, first)
                                    .isCloseTo((float) reference(vectors, offset, query), within(int8Tolerance(vectors, offset, query)));
                        }
                    }
                }
            }
        }
    }

    @Test
    void int8_extremes_do_not_overflow() {
        int dimension = 512;
        byte[] vectors = new byte[4 * dimension];
        java.util.Arrays.fill(vectors, 0, dimension, (byte) 127);
        java.util.Arrays.fill(vectors, dimension, 2 * dimension, (byte) -127);
        java.util.Arrays.fill(vectors, 2 * dimension, 3 * dimension, (byte) -128);
        for (int i = 0; i < dimension; i++) {
            vectors[3 * dimension + i] = (byte) (i % 2 == 0 ? 127 : -127);
        }
        float[] query = new float[dimension];
        java.util.Arrays.fill(query, 1f);
        for (Kernel kernel : List.of(simd, scalar)) {
            float[] scores = new float[4];
            kernel.dotsInt8(vectors, dimension, 0, 4, query, scores);
            assertThat(scores).as(kernel.name()).containsExactly(new float[] {127 * 512, -127 * 512, -128 * 512, 0}, within(0.5f));
        }
    }

    @Test
    void a_zero_query_scores_zero() {
        byte[] vectors = randomBytes(5 * 16, 3);
        float[] scores = new float[5];
        scalar.dotsInt8(vectors, 16, 0, 5, new float[16], scores);
        assertThat(scores).containsOnly(0f);
    }

    @Test
    void both_kernels_find_the_exact_top_k_across_scan_blocks() {
        int dimension = 24;
        int count = 40_000;
        float[] vectors = RandomVectors.normalised(count, dimension, 11);
        VectorIndex index = IndexFormat.inMemory(vectors, dimension, RandomVectors.chunks(count), "m", false);
        float[] queries = RandomVectors.normalised(10, dimension, 12);
        for (int q = 0; q < 10; q++) {
            float[] query = java.util.Arrays.copyOfRange(queries, q * dimension, (q + 1) * dimension);
            int[] exact = RandomVectors.bruteForce(vectors, dimension, query, 10);
            for (Kernel kernel : List.of(simd, scalar)) {
                List<Hit> hits = index.withKernel(kernel).search(query, 10);
                assertThat(hits.stream().mapToInt(h -> h.position).toArray()).as(kernel.name()).containsExactly(exact);
            }
        }
    }

    @Test
    void an_l2_index_ranks_as_inner_product_and_reports_cosine_across_scan_blocks() {
        int dimension = 24;
        int count = 40_000;
        float[] vectors = RandomVectors.normalised(count, dimension, 31);
        float[] query = RandomVectors.normalised(1, dimension, 32);
        int[] exact = RandomVectors.bruteForce(vectors, dimension, query, 10);
        for (Kernel kernel : List.of(simd, scalar)) {
            VectorIndex l2 = new VectorIndex(new Vectors.Float32(vectors, dimension), ChunkStore.of(RandomVectors.chunks(count)), "m",
                    VectorIndex.Metric.L2, kernel);
            List<Hit> hits = l2.search(query, 10);
            assertThat(hits.stream().mapToInt(h -> h.position).toArray()).as(kernel.name()).containsExactly(exact);
            for (Hit hit : hits) {
                assertThat((double) hit.score).isCloseTo(reference(vectors, hit.position * dimension, query), within(1e-5));
            }
        }
    }

    @Test
    void int8_scores_of_both_kernels_agree_with_the_dequantised_vectors() {
        int dimension = 384;
        int count = 300;
        float[] vectors = RandomVectors.normalised(count, dimension, 21);
        VectorIndex index = IndexFormat.inMemory(vectors, dimension, RandomVectors.chunks(count), "m", true);
        Vectors.Int8 stored = Vectors.Int8.quantise(vectors, dimension);
        float[] query = RandomVectors.normalised(1, dimension, 22);
        for (Kernel kernel : List.of(simd, scalar)) {
            for (Hit hit : index.withKernel(kernel).search(query, 20)) {
                double expected = stored.scales[hit.position] * reference(stored.values, hit.position * dimension, query);
                assertThat((double) hit.score).as(kernel.name()).isCloseTo(expected, within(5e-5));
            }
        }
    }

    private static double reference(float[] v, int offset, float[] q) {
        double sum = 0;
        for (int i = 0; i < q.length; i++) {
            sum += (double) v[offset + i] * q[i];
        }
        return sum;
    }

    private static double reference(byte[] v, int offset, float[] q) {
        double sum = 0;
        for (int i = 0; i < q.length; i++) {
            sum += v[offset + i] * (double) q[i];
        }
        return sum;
    }

    /** Float rounding: a few ulps of the largest partial sum. */
    private static float floatTolerance(float[] v, int offset, float[] q) {
        double magnitude = 0;
        for (int i = 0; i < q.length; i++) {
            magnitude += Math.abs((double) v[offset + i] * q[i]);
        }
        return (float) (1e-5 * magnitude + 1e-7);
    }

    /** The scalar kernel rounds the query to 1/65534 of its largest component (see IntQuery). */
    private static float int8Tolerance(byte[] v, int offset, float[] q) {
        double magnitude = 0;
        float max = 0;
        for (int i = 0; i < q.length; i++) {
            magnitude += Math.abs(v[offset + i]);
            max = Math.max(max, Math.abs(q[i]));
        }
        return (float) (1e-4 * magnitude * max + 1e-6);
    }

    /** Every value from -127 to 127 appears, as quantisation produces them. */
    private static byte[] randomBytes(int length, long seed) {
        Random random = new Random(seed);
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (random.nextInt(255) - 127);
        }
        return out;
    }
}
