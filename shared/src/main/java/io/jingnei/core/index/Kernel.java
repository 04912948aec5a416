package io.jingnei.core.index;

/** Dot products of a query with stored vectors. Implementations are stateless and thread-safe. */
public interface Kernel {

    float dot(float[] vectors, int offset, float[] query);

    /** Dot product with an int8 vector, before its per-vector scale is applied. */
    float dotInt8(byte[] vectors, int offset, float[] query);

    String name();
}
