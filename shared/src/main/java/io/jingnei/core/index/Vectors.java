package io.jingnei.core.index;

/** The stored vectors, float32 or int8 with a scale per vector. Immutable once built. */
abstract class Vectors {
    final int count;
    final int dimension;

    Vectors(int count, int dimension) {
        this.count = count;
        this.dimension = dimension;
    }

    /** The scores of vectors {@code first .. first + count - 1} into {@code scores[0 .. count)}. */
    abstract void scores(Kernel kernel, int first, int count, float[] query, float[] scores);

    abstract float[] vector(int position);

    /** Bytes one stored vector takes, for sizing a scan's blocks to a cache. */
    abstract int bytesPerVector();

    static final class Float32 extends Vectors {
        final float[] values;

        Float32(float[] values, int dimension) {
            super(values.length / dimension, dimension);
            this.values = values;
        }

        @Override
        void scores(Kernel kernel, int first, int count, float[] query, float[] scores) {
            kernel.dots(values, dimension, first, count, query, scores);
        }

        @Override
        int bytesPerVector() {
            return 4 * dimension;
        }

        @Override
        float[] vector(int position) {
            float[] out = new float[dimension];
            System.arraycopy(values, position * dimension, out, 0, dimension);
            return out;
        }
    }

    static final class Int8 extends Vectors {
        final byte[] values;
        final float[] scales;

        Int8(byte[] values, float[] scales, int dimension) {
            super(scales.length, dimension);
            this.values = values;
            this.scales = scales;
        }

        /** Symmetric per-vector quantisation: scale = max|x| / 127. */
        static Int8 quantise(float[] values, int dimension) {
            int count = values.length / dimension;
            byte[] quantised = new byte[values.length];
            float[] scales = new float[count];
            for (int v = 0; v < count; v++) {
                float max = 0;
                for (int i = 0; i < dimension; i++) {
                    max = Math.max(max, Math.abs(values[v * dimension + i]));
                }
                float scale = max == 0 ? 1 : max / 127f;
                scales[v] = scale;
                for (int i = 0; i < dimension; i++) {
                    quantised[v * dimension + i] = (byte) Math.round(values[v * dimension + i] / scale);
                }
            }
            return new Int8(quantised, scales, dimension);
        }

        @Override
        void scores(Kernel kernel, int first, int count, float[] query, float[] scores) {
            kernel.dotsInt8(values, dimension, first, count, query, scores);
            for (int j = 0; j < count; j++) {
                scores[j] *= scales[first + j];
            }
        }

        @Override
        int bytesPerVector() {
            return dimension;
        }

        @Override
        float[] vector(int position) {
            float[] out = new float[dimension];
            for (int i = 0; i < dimension; i++) {
                out[i] = values[position * dimension + i] * scales[position];
            }
            return out;
        }
    }
}
