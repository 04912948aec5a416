package io.jingnei.core.index;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Java Vector API kernel (Java 17+, jdk.incubator.vector); loaded by {@link Kernels} when available. */
final class SimdKernel implements Kernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F256 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Byte> B64 = ByteVector.SPECIES_64;

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
        int bound = F256.loopBound(n);
        FloatVector acc = FloatVector.zero(F256);
        int i = 0;
        for (; i < bound; i += F256.length()) {
            FloatVector stored = (FloatVector) ByteVector.fromArray(B64, v, offset + i).convertShape(VectorOperators.B2F, F256, 0);
            acc = stored.fma(FloatVector.fromArray(F256, q, i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += v[offset + i] * q[i];
        }
        return sum;
    }

    @Override
    public String name() {
        return "vector-api-" + F.vectorBitSize();
    }
}
