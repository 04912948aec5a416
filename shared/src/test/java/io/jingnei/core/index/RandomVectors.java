package io.jingnei.core.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded, normalised random vectors and matching chunks. */
final class RandomVectors {
    private RandomVectors() {
    }

    static float[] normalised(int count, int dimension, long seed) {
        Random random = new Random(seed);
        float[] values = new float[count * dimension];
        for (int v = 0; v < count; v++) {
            double norm = 0;
            for (int i = 0; i < dimension; i++) {
                float x = (float) random.nextGaussian();
                values[v * dimension + i] = x;
                norm += x * x;
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < dimension; i++) {
                values[v * dimension + i] *= inv;
            }
        }
        return values;
    }

    static List<Chunk> chunks(int count) {
        List<Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            chunks.add(new Chunk("doc-" + i / 3, i % 3, "第" + i + "段：退货与换货政策。", "{\"n\":" + i + "}"));
        }
        return chunks;
    }

    /** Exact top-k by inner product, in double precision: the oracle. */
    static int[] bruteForce(float[] vectors, int dimension, float[] query, int k) {
        int count = vectors.length / dimension;
        Integer[] order = new Integer[count];
        double[] scores = new double[count];
        for (int v = 0; v < count; v++) {
            order[v] = v;
            for (int i = 0; i < dimension; i++) {
                scores[v] += (double) vectors[v * dimension + i] * query[i];
            }
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        int[] top = new int[k];
        for (int i = 0; i < k; i++) {
            top[i] = order[i];
        }
        return top;
    }
}
