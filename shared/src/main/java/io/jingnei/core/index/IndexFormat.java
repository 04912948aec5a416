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
        Header header = Header.read(in);
        in.startChecksum();
        Vectors vectors;
        byte[] records;
        try {
            vectors = vectors(in, header);
            records = in.bytes((int) (header.payloadLength - header.vectorBytes));
        } catch (java.io.EOFException e) {
            throw new IndexException("index is truncated: " + e.getMessage());
        }
        if (!in.atEnd()) {
            throw new IndexException("index is padded: more bytes follow the " + header.payloadLength + " payload bytes the header names");
        }
        if (in.checksum() != header.expectedCrc) {
            throw new IndexException("index checksum mismatch: the object is corrupt or was changed while being written");
        }
        ChunkStore chunks = ChunkStore.encoded(records, 0, header.count);
        int recordsEnd = ChunkStore.end(records, 0, header.count);
        LexicalIndex lexical = null;
        if (header.version >= 2 && (header.flags & FLAG_LEXICAL) != 0) {
            lexical = LexicalIndex.read(records, recordsEnd, header.count, splitter);
        } else if (recordsEnd != records.length) {
            throw new IndexException("index is corrupt: " + (records.length - recordsEnd) + " bytes follow the chunk records");
        }
        VectorIndex index = new VectorIndex(vectors, chunks, header.model, VectorIndex.Metric.INNER_PRODUCT, Kernels.best());
        return new HybridIndex(index, lexical != null ? lexical : rebuilt(chunks, splitter));
    }

    private static Vectors vectors(IndexInput in, Header header) throws IOException {
        if (header.quantisation == 1) {
            byte[] quantised = in.bytes((int) header.values);
            float[] scales = new float[header.count];
            in.floats(scales, header.count);
            return new Vectors.Int8(quantised, scales, header.dimension);
        }
        float[] floats = new float[(int) header.values];
        in.floats(floats, (int) header.values);
        return new Vectors.Float32(floats, header.dimension);
    }

    /** The fixed header, checked before anything is allocated from what it says. */
    private static final class Header {
        int version;
        int flags;
        int dimension;
        int count;
        int quantisation;
        String model;
        long payloadLength;
        int expectedCrc;
        long values;
        long vectorBytes;

        static Header read(IndexInput in) throws IOException {
            byte[] magic;
            try {
                magic = in.bytes(4);
            } catch (java.io.EOFException e) {
                throw new IndexException("not a Jingnei index (it is empty)");
            }
            if (magic[0] != 'J' || magic[1] != 'N' || magic[2] != 'I' || magic[3] != 'X') {
                throw new IndexException("not a Jingnei index (magic bytes missing); FAISS indexes are read with a metadata file");
            }
            Header h = new Header();
            h.version = in.u16();
            if (h.version != 1 && h.version != VERSION) {
                throw new IndexException("index format version " + h.version + " is not supported (this build reads versions 1 and " + VERSION + ")");
            }
            h.flags = in.u16();
            h.dimension = in.i32();
            h.count = in.i32();
            int metric = in.u8();
            h.quantisation = in.u8();
            int modelLength = in.u16();
            if (h.dimension <= 0 || h.dimension > 65_536 || h.count < 0 || metric != 0 || h.quantisation > 1) {
                throw new IndexException("index header is corrupt");
            }
            h.model = new String(in.bytes(modelLength), StandardCharsets.UTF_8);
            h.payloadLength = in.i64();
            h.expectedCrc = in.i32();
            h.values = (long) h.count * h.dimension;
            h.vectorBytes = h.quantisation == 1 ? h.values + 4L * h.count : h.values * 4;
            if (h.values > Integer.MAX_VALUE - 8 || h.payloadLength < h.vectorBytes || h.payloadLength - h.vectorBytes > Integer.MAX_VALUE - 8) {
                throw new IndexException("index header is corrupt: " + h.count + " x " + h.dimension + " vectors in " + h.payloadLength + " payload bytes");
            }
            return h;
        }
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
