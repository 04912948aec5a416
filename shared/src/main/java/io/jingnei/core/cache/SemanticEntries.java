package io.jingnei.core.cache;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Optional;

/**
 * One scope's remembered question vectors, newest last, bounded; an exact scan (a few thousand
 * 512-d vectors take well under a millisecond). Synchronised by the caller.
 */
final class SemanticEntries {
    private static final class Entry {
        final float[] vector;
        final String key;
        final long expiresAtMillis;

        Entry(float[] vector, String key, long expiresAtMillis) {
            this.vector = vector;
            this.key = key;
            this.expiresAtMillis = expiresAtMillis;
        }
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final int max;

    SemanticEntries(int max) {
        this.max = max;
    }

    void add(float[] vector, String key, long expiresAtMillis) {
        entries.addLast(new Entry(vector, key, expiresAtMillis));
        while (entries.size() > max) {
            entries.pollFirst();
        }
    }

    Optional<String> nearest(float[] vector, double minSimilarity, long nowMillis) {
        String best = null;
        double bestScore = minSimilarity;
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.expiresAtMillis <= nowMillis) {
                it.remove();
                continue;
            }
            double score = Vectors.similarity(vector, e.vector);
            if (score >= bestScore) {
                best = e.key;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }
}
