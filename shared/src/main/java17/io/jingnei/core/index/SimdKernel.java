package io.jingnei.core.index;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Java Vector API kernel (Java 17+, jdk.incubator.vector); chosen by {@link Kernels} when available
 * and when C2 compiles.
 *
 * <p>The batch methods score four vectors per pass, one from each quarter of the batch. Measured on
 * a 2-core Xeon VM: one sequential stream reads memory at ~11 GB/s, four far-apart streams at
 * ~15-17 GB/s, so walking four quarters in lockstep is what gets the scan near the machine's read
 * bandwidth; it also loads each query slice once for four vectors. int8 bytes widen straight to
 * the widest float lanes (16 on AVX-512), where the 8-lane version was compute-bound at 5 GB/s.
 */
final class SimdKernel implements Kernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** As many bytes as F has lanes: one load widens to one full float vector. */
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(F.length() * Byte.SIZE));
    private static final int STREAMS = 4;

    SimdKernel() {
        // Touch the API so a missing module fails here, inside Kernels' try, not mid-search.
        FloatVector.zero(F);
    }

    @Override
    public float dot(float[] v, int offset, float[] q) {
        int n = q.length;
        int bound = F.loopBound(n);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i < bound; i += F.length()) {
            acc = FloatVector.fromArray(F, v, offset + i).fma(FloatVector.fromArray(F, q, i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += v[offset + i] * q[i];
        }
        return sum;
    }

    @Override
    public float dotInt8(byte[] v, int offset, float[] q) {
        int n = q.length;
        int bound = F.loopBound(n);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i < bound; i += F.length()) {
            acc = widen(v, offset + i).fma(FloatVector.fromArray(F, q, i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += v[offset + i] * q[i];
        }
        return sum;
    }

    @Override
    public void dots(float[] vectors, int dimension, int first, int count, float[] q, float[] scores) {
        int quarter = count / STREAMS;
        int stride = quarter * dimension;
        int bound = F.loopBound(dimension);
        for (int j = 0; j < quarter; j++) {
            int a = (first + j) * dimension;
            FloatVector s0 = FloatVector.zero(F);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            for (int i = 0; i < bound; i += F.length()) {
                FloatVector slice = FloatVector.fromArray(F, q, i);
                s0 = FloatVector.fromArray(F, vectors, a + i).fma(slice, s0);
                s1 = FloatVector.fromArray(F, vectors, a + stride + i).fma(slice, s1);
                s2 = FloatVector.fromArray(F, vectors, a + 2 * stride + i).fma(slice, s2);
                s3 = FloatVector.fromArray(F, vectors, a + 3 * stride + i).fma(slice, s3);
            }
            scores[j] = s0.reduceLanes(VectorOperators.ADD) + tail(vectors, a, q, bound);
            scores[j + quarter] = s1.reduceLanes(VectorOperators.ADD) + tail(vectors, a + stride, q, bound);
            scores[j + 2 * quarter] = s2.reduceLanes(VectorOperators.ADD) + tail(vectors, a + 2 * stride, q, bound);
            scores[j + 3 * quarter] = s3.reduceLanes(VectorOperators.ADD) + tail(vectors, a + 3 * stride, q, bound);
        }
        for (int j = STREAMS * quarter; j < count; j++) {
            scores[j] = dot(vectors, (first + j) * dimension, q);
        }
    }

    @Override
    public void dotsInt8(byte[] vectors, int dimension, int first, int count, float[] q, float[] scores) {
        int quarter = count / STREAMS;
        int stride = quarter * dimension;
        int bound = F.loopBound(dimension);
        for (int j = 0; j < quarter; j++) {
            int a = (first + j) * dimension;
            FloatVector s0 = FloatVector.zero(F);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            for (int i = 0; i < bound; i += F.length()) {
                FloatVector slice = FloatVector.fromArray(F, q, i);
                s0 = widen(vectors, a + i).fma(slice, s0);
                s1 = widen(vectors, a + stride + i).fma(slice, s1);
                s2 = widen(vectors, a + 2 * stride + i).fma(slice, s2);
                s3 = widen(vectors, a + 3 * stride + i).fma(slice, s3);
            }
            scores[j] = s0.reduceLanes(VectorOperators.ADD) + tail(vectors, a, q, bound);
            scores[j + quarter] = s1.reduceLanes(VectorOperators.ADD) + tail(vectors, a + stride, q, bound);
            scores[j + 2 * quarter] = s2.reduceLanes(VectorOperators.ADD) + tail(vectors, a + 2 * stride, q, bound);
            scores[j + 3 * quarter] = s3.reduceLanes(VectorOperators.ADD) + tail(vectors, a + 3 * stride, q, bound);
        }
        for (int j = STREAMS * quarter; j < count; j++) {
            scores[j] = dotInt8(vectors, (first + j) * dimension, q);
        }
    }

    private static FloatVector widen(byte[] v, int offset) {
        return (FloatVector) ByteVector.fromArray(B, v, offset).convertShape(VectorOperators.B2F, F, 0);
    }

    /** The dimensions past the last full vector of lanes (none for 384 or 512). */
    private static float tail(float[] v, int offset, float[] q, int from) {
        float sum = 0;
        for (int i = from; i < q.length; i++) {
            sum += v[offset + i] * q[i];
        }
        return sum;
    }

    private static float tail(byte[] v, int offset, float[] q, int from) {
        float sum = 0;
        for (int i = from; i < q.length; i++) {
            sum += v[offset + i] * q[i];
        }
        return sum;
    }

    @Override
    public String name() {
        return "vector-api-" + F.vectorBitSize();
    }
}
