package io.jingnei.core.index;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Little-endian reads from a stream, with a CRC32C over everything read after {@link #startChecksum}.
 * Vectors are decoded straight into their final arrays through one small buffer, so loading an
 * index takes about the index's own size in memory, not twice that.
 */
final class IndexInput {
    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER];
    private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    private CRC32C crc;
    private long read;

    IndexInput(InputStream in) {
        this.in = in;
    }

    void startChecksum() {
        crc = new CRC32C();
    }

    int checksum() {
        return (int) crc.getValue();
    }

    long bytesRead() {
        return read;
    }

    void readFully(byte[] out, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = in.read(out, offset + done, length - done);
            if (n < 0) {
                throw new EOFException("the index ended after " + (read + done) + " bytes");
            }
            done += n;
        }
        if (crc != null) {
            crc.update(out, offset, length);
        }
        read += length;
    }

    byte[] bytes(int length) throws IOException {
        byte[] out = new byte[length];
        readFully(out, 0, length);
        return out;
    }

    private ByteBuffer fill(int n) throws IOException {
        scratch.clear();
        readFully(scratch.array(), 0, n);
        scratch.limit(n);
        return scratch;
    }

    int u8() throws IOException {
        return fill(1).get() & 0xff;
    }

    int u16() throws IOException {
        return fill(2).getShort() & 0xffff;
    }

    int i32() throws IOException {
        return fill(4).getInt();
    }

    long i64() throws IOException {
        return fill(8).getLong();
    }

    float f32() throws IOException {
        return fill(4).getFloat();
    }

    /** {@code count} floats into {@code out}, decoded a buffer at a time. */
    void floats(float[] out, int count) throws IOException {
        int at = 0;
        while (at < count) {
            int n = Math.min(BUFFER / 4, count - at);
            readFully(buffer, 0, n * 4);
            ByteBuffer.wrap(buffer, 0, n * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out, at, n);
            at += n;
        }
    }

    /** Whether the stream has ended exactly here. */
    boolean atEnd() throws IOException {
        return in.read() < 0;
    }
}
