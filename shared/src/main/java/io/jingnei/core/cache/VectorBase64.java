package io.jingnei.core.cache;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/** Question vectors as cache entries carry them: float32, little-endian, base64. */
final class VectorBase64 {
    private VectorBase64() {
    }

    static String encode(float[] v) {
        ByteBuffer bytes = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(v);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    static float[] decode(String text) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(text)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(v);
        return v;
    }
}
