package io.jingnei.core.embed;

import java.util.List;

/**
 * Turns texts into normalised vectors. The index records {@link #modelId()}, and an index is only
 * queried with the embedder that built it. Thread-safe; {@link #embed} may block for CPU work.
 */
public interface Embedder extends AutoCloseable {

    String modelId();

    int dimension();

    /** One normalised vector per text, in order. Failures are {@link EmbeddingException}s. */
    List<float[]> embed(List<String> texts);

    /** Tokens the model sees for a text (for usage reports); an estimate unless the model says. */
    default int tokenCount(String text) {
        return text.length();
    }

    @Override
    default void close() {
    }

    static float[] normalise(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        if (sum == 0) {
            return v;
        }
        float inv = (float) (1 / Math.sqrt(sum));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }
}
