package io.jingnei.core.cache;

import io.jingnei.core.index.Kernel;
import io.jingnei.core.index.Kernels;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One scope's remembered question vectors, a ring of at most {@code max} (the oldest is overwritten),
 * scanned exactly with the index's dot-product kernel. The vectors sit in one array, row after row,
 * so a scan streams through memory instead of chasing one object per entry (bench/RESULTS.md,
 * "Limit checks and cache lookups", has the cost at 1,000 and 10,000 entries). Each entry keeps its
 * question's shape, looked at only for entries above the similarity. Entries share one TTL, so they
 * expire oldest first and leave from the front. Synchronised by the caller.
 */
final class SemanticEntries {
    private static final Kernel KERNEL = Kernels.best();
    /** Small: a scope is made per model, prompt, parameters and tenant, and 256 rows of 512 floats were 512 KiB each. */
    private static final int FIRST_CAPACITY = 16;

    private final int max;
    private int dimension;
    private float[] vectors = new float[0];
    private String[] keys = new String[0];
    private QuestionShape[] shapes = new QuestionShape[0];
    private long[] expiries = new long[0];
    /** Slot of the oldest entry, and how many there are. */
    private int head;
    private int size;

    SemanticEntries(int max) {
        this.max = max;
    }

    void add(float[] vector, QuestionShape shape, String key, long expiresAtMillis) {
        if (vector.length != dimension) {
            // Another embedding model: vectors of the old one cannot be compared with it.
            dimension = vector.length;
            vectors = new float[0];
            keys = new String[0];
            shapes = new QuestionShape[0];
            expiries = new long[0];
            head = 0;
            size = 0;
        }
        if (size == keys.length && size < max) {
            grow(Math.min(max, Math.max(FIRST_CAPACITY, keys.length * 2)));
        }
        int slot;
        if (size == keys.length) {
            slot = head;
            head = (head + 1) % keys.length;
        } else {
            slot = (head + size) % keys.length;
            size++;
        }
        System.arraycopy(vector, 0, vectors, slot * dimension, dimension);
        keys[slot] = key;
        shapes[slot] = shape;
        expiries[slot] = expiresAtMillis;
    }

    /** The key of the most similar entry at or above {@code minSimilarity} whose shape {@code accepts}. */
    Optional<String> nearest(float[] vector, double minSimilarity, Predicate<QuestionShape> accepts, long nowMillis) {
        if (vector.length != dimension) {
            return Optional.empty();
        }
        while (size > 0 && expiries[head] <= nowMillis) {
            keys[head] = null;
            shapes[head] = null;
            head = (head + 1) % keys.length;
            size--;
        }
        String best = null;
        double bestScore = minSimilarity;
        for (int n = 0; n < size; n++) {
            int slot = (head + n) % keys.length;
            if (expiries[slot] <= nowMillis) {
                continue; // another instance's entry with a shorter TTL
            }
            double score = KERNEL.dot(vectors, slot * dimension, vector);
            if (score >= bestScore && accepts.test(shapes[slot])) {
                best = keys[slot];
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }

    int size() {
        return size;
    }

    /** Copies the ring in order, oldest first, into larger arrays. */
    private void grow(int capacity) {
        float[] v = new float[capacity * dimension];
        String[] k = new String[capacity];
        QuestionShape[] s = new QuestionShape[capacity];
        long[] e = new long[capacity];
        for (int n = 0; n < size; n++) {
            int slot = (head + n) % keys.length;
            System.arraycopy(vectors, slot * dimension, v, n * dimension, dimension);
            k[n] = keys[slot];
            s[n] = shapes[slot];
            e[n] = expiries[slot];
        }
        vectors = v;
        keys = k;
        shapes = s;
        expiries = e;
        head = 0;
        Arrays.fill(k, size, capacity, null);
    }
}
