package io.jingnei.core.index;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import io.jingnei.core.text.BigramSplitter;
import io.jingnei.core.text.TermSplitter;

import java.util.List;
import java.util.zip.CRC32C;

/**
 * Jingnei's index file, little-endian:
 * <pre>
 * magic "JNIX" | u16 version (2) | u16 flags (bit 0: a lexical section follows the chunk records) | u32 dimension | u32 count
 * | u8 metric (0 inner product) | u8 quantisation (0 float32, 1 int8) | u16 model id length | model id (UTF-8)
 * | u64 payload length | u32 CRC32C of the payload
 * payload: vectors (float32: count x dim; int8: count x dim bytes, then count float32 scales)
 *          then per chunk: u16 id length, id, u32 chunk no, u32 text length, text, u32 metadata length, metadata JSON
 *          then, with flag bit 0, the lexical index ({@link LexicalIndex#write})
 * </pre>
 * Version 1 is the same without flags or lexical section; it is still read, and its lexical index
 * is then built from the chunk texts at load time (measured: 30-50 s for 100k chunks on a loaded core,
 * well under a second for a few thousand; rebuild such an index to skip it), as it is for a
 * version 2 file cut by a splitter this build does not know. Read with one request at init; any
 * mismatch is a clear {@link IndexException}.
 */
public final class IndexFormat {
    static final byte[] MAGIC = {'J', 'N', 'I', 'X'};
    static final int VERSION = 2;
    static final int FLAG_LEXICAL = 1;

    private IndexFormat() {
    }

    /** An index with a lexical part cut by the default splitter. */
    public static byte[] write(float[] vectors, int dimension, List<Chunk> chunks, String modelId, boolean int8) {
        return write(vectors, dimension, chunks, modelId, int8, lexical(chunks, BigramSplitter.INSTANCE));
    }

    /** The lexical index of these chunks (title from the metadata, then the text). */
    public static LexicalIndex lexical(List<Chunk> chunks, TermSplitter splitter) {
        LexicalIndexBuilder builder = new LexicalIndexBuilder(splitter);
        for (Chunk chunk : chunks) {
            builder.add(ChunkTitle.of(chunk.metadataJson), chunk.text);
        }
        return builder.build();
    }

    /** {@code lexical} null: a dense-only index. */
    public static byte[] write(float[] vectors, int dimension, List<Chunk> chunks, String modelId, boolean int8, LexicalIndex lexical) {
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
        if (lexical != null) {
            if (lexical.size() != chunks.size()) {
                throw new IllegalArgumentException("the lexical index has " + lexical.size() + " chunks, not " + chunks.size());
            }
            lexical.write(payload);
        }
        byte[] body = payload.toByteArray();
        byte[] model = modelId.getBytes(StandardCharsets.UTF_8);
        CRC32C crc = new CRC32C();
        crc.update(body, 0, body.length);
        ByteBuffer out = ByteBuffer.allocate(4 + 2 + 2 + 4 + 4 + 1 + 1 + 2 + model.length + 8 + 4 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putShort((short) VERSION).putShort((short) (lexical == null ? 0 : FLAG_LEXICAL)).putInt(dimension).putInt(chunks.size())
                .put((byte) 0).put((byte) (int8 ? 1 : 0)).putShort((short) model.length).put(model)
                .putLong(body.length).putInt((int) crc.getValue()).put(body);
        return out.array();
    }

    public static VectorIndex read(byte[] data) {
        return load(data).vectors();
    }

    public static HybridIndex load(byte[] data) {
        try {
            return load(new java.io.ByteArrayInputStream(data), BigramSplitter.INSTANCE);
        } catch (IOException e) {
            throw new IndexException("cannot read the index: " + e.getMessage());
        }
    }

    /**
     * Reads an index as it streams in (blocking: call on a worker thread). The checksum covers the
     * payload and is verified before the index is returned; a short or padded object is refused.
     */
    public static VectorIndex read(InputStream stream) throws IOException {
        return load(stream, BigramSplitter.INSTANCE).vectors();
    }

    /** As {@link #read(InputStream)}, with the lexical part; {@code splitter} cuts the questions it is searched with. */
    public static HybridIndex load(InputStream stream, TermSplitter splitter) throws IOException {
        IndexInput in = new IndexInput(stream);
        byte[] magic;
        try {
            magic = in.bytes(4);
        } catch (java.io.EOFException e) {
            throw new IndexException("not a Jingnei index (it is empty)");
        }
        if (magic[0] != 'J' || magic[1] != 'N' || magic[2] != 'I' || magic[3] != 'X') {
            throw new IndexException("not a Jingnei index (magic bytes missing); FAISS indexes are read with a metadata file");
        }
        int version = in.u16();
        if (version != 1 && version != VERSION) {
            throw new IndexException("index format version " + version + " is not supported (this build reads versions 1 and " + VERSION + ")");
        }
        int flags = in.u16();
        int dimension = in.i32();
        int count = in.i32();
        int metric = in.u8();
        int quantisation = in.u8();
        int modelLength = in.u16();
        if (dimension <= 0 || dimension > 65_536 || count < 0 || metric != 0 || quantisation > 1) {
            throw new IndexException("index header is corrupt");
        }
        String model = new String(in.bytes(modelLength), StandardCharsets.UTF_8);
        long payloadLength = in.i64();
        int expectedCrc = in.i32();
        long values = (long) count * dimension;
        long vectorBytes = quantisation == 1 ? values + 4L * count : values * 4;
        if (values > Integer.MAX_VALUE - 8 || payloadLength < vectorBytes || payloadLength - vectorBytes > Integer.MAX_VALUE - 8) {
            throw new IndexException("index header is corrupt: " + count + " x " + dimension + " vectors in " + payloadLength + " payload bytes");
        }
        in.startChecksum();
        Vectors vectors;
        try {
            if (quantisation == 1) {
                byte[] quantised = in.bytes((int) values);
                float[] scales = new float[count];
                in.floats(scales, count);
                vectors = new Vectors.Int8(quantised, scales, dimension);
            } else {
                float[] floats = new float[(int) values];
                in.floats(floats, (int) values);
                vectors = new Vectors.Float32(floats, dimension);
            }
        } catch (java.io.EOFException e) {
            throw new IndexException("index is truncated: " + e.getMessage());
        }
        byte[] records;
        try {
            records = in.bytes((int) (payloadLength - vectorBytes));
        } catch (java.io.EOFException e) {
            throw new IndexException("index is truncated: " + e.getMessage());
        }
        if (!in.atEnd()) {
            throw new IndexException("index is padded: more bytes follow the " + payloadLength + " payload bytes the header names");
        }
        if (in.checksum() != expectedCrc) {
            throw new IndexException("index checksum mismatch: the object is corrupt or was changed while being written");
        }
        ChunkStore chunks = ChunkStore.encoded(records, 0, count);
        int recordsEnd = ChunkStore.end(records, 0, count);
        LexicalIndex lexical = null;
        if (version >= 2 && (flags & FLAG_LEXICAL) != 0) {
            lexical = LexicalIndex.read(records, recordsEnd, count, splitter);
        } else if (recordsEnd != records.length) {
            throw new IndexException("index is corrupt: " + (records.length - recordsEnd) + " bytes follow the chunk records");
        }
        VectorIndex index = new VectorIndex(vectors, chunks, model, VectorIndex.Metric.INNER_PRODUCT, Kernels.best());
        return new HybridIndex(index, lexical != null ? lexical : rebuilt(chunks, splitter));
    }

    /** An index read without a lexical part (FAISS), given one built from its chunk texts. */
    public static HybridIndex withLexical(VectorIndex vectors) {
        LexicalIndexBuilder builder = new LexicalIndexBuilder(BigramSplitter.INSTANCE);
        for (int i = 0; i < vectors.size(); i++) {
            Chunk chunk = vectors.chunk(i);
            builder.add(ChunkTitle.of(chunk.metadataJson), chunk.text);
        }
        return new HybridIndex(vectors, builder.build());
    }

    /** Version 1, or a lexical section cut by another splitter: built from the chunk texts. */
    static LexicalIndex rebuilt(ChunkStore chunks, TermSplitter splitter) {
        LexicalIndexBuilder builder = new LexicalIndexBuilder(splitter);
        for (int i = 0; i < chunks.size(); i++) {
            Chunk chunk = chunks.get(i);
            builder.add(ChunkTitle.of(chunk.metadataJson), chunk.text);
        }
        return builder.build();
    }

    /** An index held in memory without a file round trip: benchmarks at sizes a byte array cannot hold. */
    public static VectorIndex inMemory(float[] vectors, int dimension, List<Chunk> chunks, String modelId, boolean int8) {
        Vectors stored = int8 ? Vectors.Int8.quantise(vectors, dimension) : new Vectors.Float32(vectors, dimension);
        return new VectorIndex(stored, ChunkStore.of(chunks), modelId, VectorIndex.Metric.INNER_PRODUCT, Kernels.best());
    }
}
