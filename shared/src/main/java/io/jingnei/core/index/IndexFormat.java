package io.jingnei.core.index;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Jingnei's index file, little-endian:
 * <pre>
 * magic "JNIX" | u16 version (1) | u16 flags (0) | u32 dimension | u32 count
 * | u8 metric (0 inner product) | u8 quantisation (0 float32, 1 int8) | u16 model id length | model id (UTF-8)
 * | u64 payload length | u32 CRC32C of the payload
 * payload: vectors (float32: count x dim; int8: count x dim bytes, then count float32 scales)
 *          then per chunk: u16 id length, id, u32 chunk no, u32 text length, text, u32 metadata length, metadata JSON
 * </pre>
 * Read with one request at init; any mismatch is a clear {@link IndexException}.
 */
public final class IndexFormat {
    static final byte[] MAGIC = {'J', 'N', 'I', 'X'};
    static final int VERSION = 1;

    private IndexFormat() {
    }

    public static byte[] write(float[] vectors, int dimension, List<Chunk> chunks, String modelId, boolean int8) {
        if (vectors.length != dimension * chunks.size()) {
            throw new IllegalArgumentException(chunks.size() + " chunks need " + dimension * chunks.size() + " vector values, got " + vectors.length);
        }
        ByteArrayOutputStream payload = new ByteArrayOutputStream(vectors.length * (int8 ? 1 : 4) + chunks.size() * 256);
        if (int8) {
            Vectors.Int8 q = Vectors.Int8.quantise(vectors, dimension);
            payload.write(q.values, 0, q.values.length);
            ByteBuffer scales = ByteBuffer.allocate(q.scales.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            scales.asFloatBuffer().put(q.scales);
            payload.write(scales.array(), 0, scales.capacity());
        } else {
            ByteBuffer values = ByteBuffer.allocate(vectors.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            values.asFloatBuffer().put(vectors);
            payload.write(values.array(), 0, values.capacity());
        }
        for (Chunk chunk : chunks) {
            byte[] id = chunk.docId.getBytes(StandardCharsets.UTF_8);
            byte[] text = chunk.text.getBytes(StandardCharsets.UTF_8);
            byte[] meta = chunk.metadataJson.getBytes(StandardCharsets.UTF_8);
            if (id.length > 0xffff) {
                throw new IllegalArgumentException("document id longer than 65535 bytes: " + chunk.docId.substring(0, 40) + "…");
            }
            ByteBuffer head = ByteBuffer.allocate(2 + id.length + 8).order(ByteOrder.LITTLE_ENDIAN);
            head.putShort((short) id.length).put(id).putInt(chunk.chunkNo).putInt(text.length);
            payload.write(head.array(), 0, head.capacity());
            payload.write(text, 0, text.length);
            ByteBuffer metaLength = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(meta.length);
            payload.write(metaLength.array(), 0, 4);
            payload.write(meta, 0, meta.length);
        }
        byte[] body = payload.toByteArray();
        byte[] model = modelId.getBytes(StandardCharsets.UTF_8);
        CRC32C crc = new CRC32C();
        crc.update(body, 0, body.length);
        ByteBuffer out = ByteBuffer.allocate(4 + 2 + 2 + 4 + 4 + 1 + 1 + 2 + model.length + 8 + 4 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putShort((short) VERSION).putShort((short) 0).putInt(dimension).putInt(chunks.size())
                .put((byte) 0).put((byte) (int8 ? 1 : 0)).putShort((short) model.length).put(model)
                .putLong(body.length).putInt((int) crc.getValue()).put(body);
        return out.array();
    }

    public static VectorIndex read(byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        if (data.length < 30 || data[0] != 'J' || data[1] != 'N' || data[2] != 'I' || data[3] != 'X') {
            throw new IndexException("not a Jingnei index (magic bytes missing); FAISS indexes are read with a metadata file");
        }
        in.position(4);
        int version = in.getShort() & 0xffff;
        if (version != VERSION) {
            throw new IndexException("index format version " + version + " is not supported (this build reads version " + VERSION + ")");
        }
        in.getShort();
        int dimension = in.getInt();
        int count = in.getInt();
        int metric = in.get();
        int quantisation = in.get();
        int modelLength = in.getShort() & 0xffff;
        if (dimension <= 0 || count < 0 || metric != 0 || quantisation < 0 || quantisation > 1 || in.remaining() < modelLength + 12) {
            throw new IndexException("index header is corrupt");
        }
        byte[] model = new byte[modelLength];
        in.get(model);
        long payloadLength = in.getLong();
        int expectedCrc = in.getInt();
        int payloadStart = in.position();
        if (payloadLength != data.length - payloadStart) {
            throw new IndexException("index is truncated or padded: header says " + payloadLength + " payload bytes, found " + (data.length - payloadStart));
        }
        CRC32C crc = new CRC32C();
        crc.update(data, payloadStart, (int) payloadLength);
        if ((int) crc.getValue() != expectedCrc) {
            throw new IndexException("index checksum mismatch: the object is corrupt or was changed while being written");
        }
        Vectors vectors;
        int recordsStart;
        long values = (long) count * dimension;
        if (quantisation == 1) {
            byte[] quantised = new byte[(int) values];
            in.get(quantised);
            float[] scales = new float[count];
            in.asFloatBuffer().get(scales);
            vectors = new Vectors.Int8(quantised, scales, dimension);
            recordsStart = payloadStart + (int) values + count * 4;
        } else {
            float[] floats = new float[(int) values];
            in.asFloatBuffer().get(floats);
            vectors = new Vectors.Float32(floats, dimension);
            recordsStart = payloadStart + (int) values * 4;
        }
        return new VectorIndex(vectors, ChunkStore.encoded(data, recordsStart, count),
                new String(model, StandardCharsets.UTF_8), VectorIndex.Metric.INNER_PRODUCT, Kernels.best());
    }

    /** An index held in memory without a file round trip: benchmarks at sizes a byte array cannot hold. */
    public static VectorIndex inMemory(float[] vectors, int dimension, List<Chunk> chunks, String modelId, boolean int8) {
        Vectors stored = int8 ? Vectors.Int8.quantise(vectors, dimension) : new Vectors.Float32(vectors, dimension);
        return new VectorIndex(stored, ChunkStore.of(chunks), modelId, VectorIndex.Metric.INNER_PRODUCT, Kernels.best());
    }
}
