package io.jingnei.core.rag;

import io.jingnei.core.embed.Embedder;
import io.jingnei.core.index.Chunk;
import io.jingnei.core.index.ChunkTitle;
import io.jingnei.core.index.VectorIndex;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An incremental build's memory of the previous version: a chunk whose embedded text (title and
 * text) is one the previous version holds, embedded by the same model, takes that vector instead of
 * being embedded again; the vector depends on nothing else. A document is {@code reused} when all
 * its chunks were, {@code embedded} otherwise; {@code removed} counts the previous version's
 * documents no longer read.
 */
final class Reuse {
    private final VectorIndex previous;
    private final Map<String, Integer> positions = new HashMap<>();
    private final Set<String> previousDocuments = new HashSet<>();
    private final Set<Integer> embeddedChunks = new HashSet<>();

    private Reuse(VectorIndex previous) {
        this.previous = previous;
        if (previous != null) {
            for (int i = 0; i < previous.size(); i++) {
                Chunk chunk = previous.chunk(i);
                positions.putIfAbsent(ChunkTitle.embeddedText(chunk), i);
                previousDocuments.add(chunk.docId);
            }
        }
    }

    /** {@code previous} null, or from another model: nothing is reused. */
    static Reuse from(VectorIndex previous, String modelId) {
        return new Reuse(previous != null && previous.modelId().equals(modelId) ? previous : null);
    }

    /** Every chunk's vector, row after row: reused where possible, the rest embedded in about 100 steps. */
    float[] vectors(List<Chunk> chunks, Embedder embedder, BiConsumer<Integer, Integer> progress) {
        List<Integer> missing = new ArrayList<>();
        float[][] found = new float[chunks.size()][];
        for (int i = 0; i < chunks.size(); i++) {
            Integer at = positions.get(ChunkTitle.embeddedText(chunks.get(i)));
            if (at != null) {
                found[i] = previous.vector(at);
            } else {
                missing.add(i);
            }
        }
        embeddedChunks.addAll(missing);
        int step = Math.max(1, missing.size() / 100);
        for (int from = 0; from < missing.size(); from += step) {
            List<Integer> batch = missing.subList(from, Math.min(missing.size(), from + step));
            List<String> texts = new ArrayList<>();
            batch.forEach(i -> texts.add(ChunkTitle.embeddedText(chunks.get(i))));
            List<float[]> embedded = embedder.embed(texts);
            for (int j = 0; j < batch.size(); j++) {
                found[batch.get(j)] = embedded.get(j);
            }
            progress.accept(from + batch.size(), missing.size());
        }
        int dimension = found[0].length;
        float[] out = new float[chunks.size() * dimension];
        for (int i = 0; i < found.length; i++) {
            if (found[i].length != dimension) {
                throw new IllegalStateException("the previous index's vectors have " + found[i].length + " dimensions, the model " + dimension);
            }
            System.arraycopy(found[i], 0, out, i * dimension, dimension);
        }
        return out;
    }

    static final class Counts {
        int documents;
        int embedded;
        int reused;
        int removed;
        int chunksEmbedded;
    }

    /** After {@link #vectors}: documents embedded, reused and removed. */
    Counts counts(List<Chunk> chunks) {
        Counts counts = new Counts();
        Set<String> current = new HashSet<>();
        Set<String> changed = new HashSet<>();
        for (int i = 0; i < chunks.size(); i++) {
            current.add(chunks.get(i).docId);
            if (embeddedChunks.contains(i)) {
                changed.add(chunks.get(i).docId);
            }
        }
        counts.documents = current.size();
        counts.embedded = changed.size();
        counts.reused = current.size() - changed.size();
        counts.chunksEmbedded = embeddedChunks.size();
        for (String old : previousDocuments) {
            if (!current.contains(old)) {
                counts.removed++;
            }
        }
        return counts;
    }
}
