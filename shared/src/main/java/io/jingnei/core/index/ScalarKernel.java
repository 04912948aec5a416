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
    public String name() {
        return "scalar";
    }
}
