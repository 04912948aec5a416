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
 * <p>The batch methods score eight vectors per pass, one from each eighth of the batch. On the
 * 2-core Xeon VM of bench/RESULTS.md one thread reads memory ~1.5x faster as eight far-apart
 * sequential streams than as one (the prefetcher runs ahead on each), so walking the eighths in
 * lockstep is what gets the scan near the machine's read bandwidth; eight beat four by 7-12%. Each
 * query slice is loaded once for eight vectors. int8 bytes widen straight to the widest float
 * lanes (16 on AVX-512), where the 8-lane version was compute-bound at 5 GB/s; widening, converting
 * and the FMA still cost three vector instructions per 16 bytes, so int8 is close to compute-bound.
 */
final class SimdKernel implements Kernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** As many bytes as F has lanes: one load widens to one full float vector. */
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(F.length() * Byte.SIZE));
    private static final int STREAMS = 8;

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
        int part = count / STREAMS;
        int stride = part * dimension;
        int bound = F.loopBound(dimension);
        for (int j = 0; j < part; j++) {
            int a = (first + j) * dimension;
            FloatVector s0 = FloatVector.zero(F);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            FloatVector s4 = s0;
            FloatVector s5 = s0;
            FloatVector s6 = s0;
            FloatVector s7 = s0;
            for (int i = 0; i < bound; i += F.length()) {
                FloatVector slice = FloatVector.fromArray(F, q, i);
                int x = a + i;
                s0 = FloatVector.fromArray(F, vectors, x).fma(slice, s0);
                s1 = FloatVector.fromArray(F, vectors, x + stride).fma(slice, s1);
                s2 = FloatVector.fromArray(F, vectors, x + 2 * stride).fma(slice, s2);
                s3 = FloatVector.fromArray(F, vectors, x + 3 * stride).fma(slice, s3);
                s4 = FloatVector.fromArray(F, vectors, x + 4 * stride).fma(slice, s4);
                s5 = FloatVector.fromArray(F, vectors, x + 5 * stride).fma(slice, s5);
                s6 = FloatVector.fromArray(F, vectors, x + 6 * stride).fma(slice, s6);
                s7 = FloatVector.fromArray(F, vectors, x + 7 * stride).fma(slice, s7);
            }
            scores[j] = s0.reduceLanes(VectorOperators.ADD) + tail(vectors, a, q, bound);
            scores[j + part] = s1.reduceLanes(VectorOperators.ADD) + tail(vectors, a + stride, q, bound);
            scores[j + 2 * part] = s2.reduceLanes(VectorOperators.ADD) + tail(vectors, a + 2 * stride, q, bound);
            scores[j + 3 * part] = s3.reduceLanes(VectorOperators.ADD) + tail(vectors, a + 3 * stride, q, bound);
            scores[j + 4 * part] = s4.reduceLanes(VectorOperators.ADD) + tail(vectors, a + 4 * stride, q, bound);
            scores[j + 5 * part] = s5.reduceLanes(VectorOperators.ADD) + tail(vectors, a + 5 * stride, q, bound);
            scores[j + 6 * part] = s6.reduceLanes(VectorOperators.ADD) + tail(vectors, a + 6 * stride, q, bound);
            scores[j + 7 * part] = s7.reduceLanes(VectorOperators.ADD) + tail(vectors, a + 7 * stride, q, bound);
        }
        for (int j = STREAMS * part; j < count; j++) {
            scores[j] = dot(vectors, (first + j) * dimension, q);
        }
    }

    @Override
    public void dotsInt8(byte[] vectors, int dimension, int first, int count, float[] q, float[] scores) {
        int part = count / STREAMS;
        int stride = part * dimension;
        int bound = F.loopBound(dimension);
        for (int j = 0; j < part; j++) {
            int a = (first + j) * dimension;
            FloatVector s0 = FloatVector.zero(F);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            FloatVector s4 = s0;
            FloatVector s5 = s0;
            FloatVector s6 = s0;
            FloatVector s7 = s0;
            for (int i = 0; i < bound; i += F.length()) {
                FloatVector slice = FloatVector.fromArray(F, q, i);
                int x = a + i;
                s0 = widen(vectors, x).fma(slice, s0);
                s1 = widen(vectors, x + stride).fma(slice, s1);
                s2 = widen(vectors, x + 2 * stride).fma(slice, s2);
                s3 = widen(vectors, x + 3 * stride).fma(slice, s3);
                s4 = widen(vectors, x + 4 * stride).fma(slice, s4);
                s5 = widen(vectors, x + 5 * stride).fma(slice, s5);
                s6 = widen(vectors, x + 6 * stride).fma(slice, s6);
                s7 = widen(vectors, x + 7 * stride).fma(slice, s7);
            }
            scores[j] = s0.reduceLanes(VectorOperators.ADD) + tail(vectors, a, q, bound);
            scores[j + part] = s1.reduceLanes(VectorOperators.ADD) + tail(vectors, a + stride, q, bound);
            scores[j + 2 * part] = s2.reduceLanes(VectorOperators.ADD) + tail(vectors, a + 2 * stride, q, bound);
            scores[j + 3 * part] = s3.reduceLanes(VectorOperators.ADD) + tail(vectors, a + 3 * stride, q, bound);
            scores[j + 4 * part] = s4.reduceLanes(VectorOperators.ADD) + tail(vectors, a + 4 * stride, q, bound);
            scores[j + 5 * part] = s5.reduceLanes(VectorOperators.ADD) + tail(vectors, a + 5 * stride, q, bound);
            scores[j + 6 * part] = s6.reduceLanes(VectorOperators.ADD) + tail(vectors, a + 6 * stride, q, bound);
            scores[j + 7 * part] = s7.reduceLanes(VectorOperators.ADD) + tail(vectors, a + 7 * stride, q, bound);
        }
        for (int j = STREAMS * part; j < count; j++) {
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
