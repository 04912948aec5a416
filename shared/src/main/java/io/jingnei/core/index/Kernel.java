package io.jingnei.core.index;

/**
 * Dot products of a query with stored vectors, stored back to back, {@code query.length} values
 * each. Implementations are stateless and thread-safe.
 */
public interface Kernel {

    float dot(float[] vectors, int offset, float[] query);

    /** Dot product with an int8 vector, before its per-vector scale is applied. */
    float dotInt8(byte[] vectors, int offset, float[] query);

    /**
     * The scores of vectors {@code first .. first + count - 1} into {@code scores[0 .. count)}: the
     * form a scan calls, so a kernel may visit them in whatever order reads memory fastest.
     */
    void dots(float[] vectors, int dimension, int first, int count, float[] query, float[] scores);

    /** As {@link #dots}, for int8 vectors, before their per-vector scales are applied. */
    void dotsInt8(byte[] vectors, int dimension, int first, int count, float[] query, float[] scores);

    String name();
}
