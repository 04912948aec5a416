package io.jingnei.core.cache;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SemanticEntriesTest {
    private static final QuestionShape SHAPE = QuestionShape.of("退款多久到账");
    private final Random random = new Random(3);

    private float[] unit(int dimension) {
        float[] v = new float[dimension];
        double norm = 0;
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < dimension; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    private static double dot(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
        }
        return d;
    }

    @Test
    void the_scan_finds_the_same_nearest_entry_as_a_plain_loop_across_growth_and_wrap_around() {
        SemanticEntries entries = new SemanticEntries(700);
        float[][] stored = new float[1000][];
        for (int i = 0; i < stored.length; i++) {
            stored[i] = unit(64);
            entries.add(stored[i], SHAPE, "k" + i, Long.MAX_VALUE);
        }
        assertThat(entries.size()).isEqualTo(700);
        for (int q = 0; q < 50; q++) {
            float[] query = q % 2 == 0 ? stored[300 + q * 10] : unit(64);
            int best = -1;
            double bestScore = -2;
            for (int i = 300; i < 1000; i++) {
                if (dot(query, stored[i]) > bestScore) {
                    bestScore = dot(query, stored[i]);
                    best = i;
                }
            }
            assertThat(entries.nearest(query, -1, any -> true, 0)).as("query " + q).contains("k" + best);
        }
        assertThat(entries.nearest(stored[10], 0.99, any -> true, 0)).as("overwritten by newer entries").isEmpty();
    }

    @Test
    void nothing_below_the_similarity_and_nothing_expired_is_returned() {
        SemanticEntries entries = new SemanticEntries(10);
        float[] v = unit(32);
        entries.add(v, SHAPE, "old", 1_000);
        entries.add(unit(32), SHAPE, "other", 5_000);

        assertThat(entries.nearest(v, 0.99, any -> true, 999)).contains("old");
        assertThat(entries.nearest(v, 0.99, any -> true, 1_000)).isEmpty();
        assertThat(entries.size()).isEqualTo(1);
        assertThat(entries.nearest(unit(32), 0.99, any -> true, 0)).isEmpty();
    }

    @Test
    void only_entries_whose_shape_is_accepted_are_returned() {
        SemanticEntries entries = new SemanticEntries(10);
        float[] v = unit(32);
        QuestionShape other = QuestionShape.of("订单1号");
        entries.add(v, other, "refused", Long.MAX_VALUE);

        assertThat(entries.nearest(v, 0.5, shape -> shape != other, 0)).isEmpty();
        entries.add(unit(32), SHAPE, "accepted", Long.MAX_VALUE);
        assertThat(entries.nearest(v, -1, shape -> shape != other, 0)).contains("accepted");
    }

    @Test
    void vectors_of_another_model_replace_the_old_ones_and_are_never_compared_with_them() {
        SemanticEntries entries = new SemanticEntries(10);
        float[] small = unit(16);
        entries.add(small, SHAPE, "small", Long.MAX_VALUE);
        float[] large = unit(32);
        entries.add(large, SHAPE, "large", Long.MAX_VALUE);

        assertThat(entries.nearest(small, 0.5, any -> true, 0)).isEmpty();
        assertThat(entries.nearest(large, 0.99, any -> true, 0)).contains("large");
        assertThat(entries.size()).isEqualTo(1);
    }
}
