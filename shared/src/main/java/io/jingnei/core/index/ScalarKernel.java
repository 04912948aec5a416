package io.jingnei.core.index;

/** Plain Java, four accumulators so the JIT can pipeline; the base for Java 11 runtimes. */
public final class ScalarKernel implements Kernel {

    @Override
    public float dot(float[] v, int offset, float[] q) {
        int n = q.length;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += v[offset + i] * q[i];
            s1 += v[offset + i + 1] * q[i + 1];
            s2 += v[offset + i + 2] * q[i + 2];
            s3 += v[offset + i + 3] * q[i + 3];
        }
        for (; i < n; i++) {
            s0 += v[offset + i] * q[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public float dotInt8(byte[] v, int offset, float[] q) {
        int n = q.length;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += v[offset + i] * q[i];
            s1 += v[offset + i + 1] * q[i + 1];
            s2 += v[offset + i + 2] * q[i + 2];
            s3 += v[offset + i + 3] * q[i + 3];
        }
        for (; i < n; i++) {
            s0 += v[offset + i] * q[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void dots(float[] vectors, int dimension, int first, int count, float[] query, float[] scores) {
        for (int j = 0; j < count; j++) {
            scores[j] = dot(vectors, (first + j) * dimension, query);
        }
    }

    /**
     * Integer products with the query rounded to {@link IntQuery} levels: C2 vectorises a byte x int
     * loop into SIMD instructions but not a byte x float one (float sums must keep their order), so
     * this is ~3x faster than {@link #dotInt8} under C2 and as fast under C1. Rounding moves each
     * query component by at most 1/65534 of the largest one (512 dimensions), a score by ~1e-6.
     */
    @Override
    public void dotsInt8(byte[] vectors, int dimension, int first, int count, float[] query, float[] scores) {
        IntQuery q = new IntQuery(query);
        for (int j = 0; j < count; j++) {
            scores[j] = q.step * dot(vectors, (first + j) * dimension, q.levels);
        }
    }

    private static int dot(byte[] v, int offset, int[] q) {
        int sum = 0;
        for (int i = 0; i < q.length; i++) {
            sum += v[offset + i] * q[i];
        }
        return sum;
    }

    @Override
    public String name() {
        return "scalar";
    }

    /** A query rounded to integers small enough that a dot with bytes, even -128, cannot overflow an int. */
    static final class IntQuery {
        final int[] levels;
        final float step;

        IntQuery(float[] query) {
            float max = 0;
            for (float x : query) {
                max = Math.max(max, Math.abs(x));
            }
            int top = (int) Math.min(32767, Integer.MAX_VALUE / (128L * Math.max(1, query.length)));
            step = max == 0 ? 0 : max / top;
            levels = new int[query.length];
            for (int i = 0; i < query.length; i++) {
                levels[i] = max == 0 ? 0 : Math.round(query[i] / step);
            }
        }
    }
}
