package io.jingnei.core.index;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Chunk records kept as the bytes they were loaded in, decoded on access: a 100k-chunk index then
 * loads without creating 300k strings, and a query decodes only its top k.
 */
abstract class ChunkStore {
    abstract int size();

    abstract Chunk get(int position);

    static ChunkStore of(List<Chunk> chunks) {
        return new ChunkStore() {
            @Override
            int size() {
                return chunks.size();
            }

            @Override
            Chunk get(int position) {
                return chunks.get(position);
            }
        };
    }

    /** Where {@code count} records from {@code start} end: the lexical section of a version 2 index begins there. */
    static int end(byte[] data, int start, int count) {
        return walk(data, start, count, null);
    }

    private static int walk(byte[] data, int start, int count, int[] offsets) {
        ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int at = start;
        try {
            for (int i = 0; i < count; i++) {
                if (offsets != null) {
                    offsets[i] = at;
                }
                at += 2 + (buffer.getShort(at) & 0xffff);
                at += 4;
                at += 4 + buffer.getInt(at);
                at += 4 + buffer.getInt(at);
                if (at > data.length || at < 0) {
                    throw new IndexException("chunk records are truncated");
                }
            }
        } catch (IndexOutOfBoundsException e) {
            throw new IndexException("chunk records are truncated");
        }
        return at;
    }

    /** Records laid out as in {@link IndexFormat}: u16 id, u32 chunk no, u32 text, u32 metadata (lengths in bytes). */
    static ChunkStore encoded(byte[] data, int start, int count) {
        int[] offsets = new int[count];
        ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        walk(data, start, count, offsets);
        return new ChunkStore() {
            @Override
            int size() {
                return count;
            }

            @Override
            Chunk get(int position) {
                int p = offsets[position];
                int idLength = buffer.getShort(p) & 0xffff;
                String id = new String(data, p + 2, idLength, StandardCharsets.UTF_8);
                p += 2 + idLength;
                int chunkNo = buffer.getInt(p);
                p += 4;
                int textLength = buffer.getInt(p);
                String text = new String(data, p + 4, textLength, StandardCharsets.UTF_8);
                p += 4 + textLength;
                int metaLength = buffer.getInt(p);
                return new Chunk(id, chunkNo, text, new String(data, p + 4, metaLength, StandardCharsets.UTF_8));
            }
        };
    }
}
