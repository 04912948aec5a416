package io.jingnei.core.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.util.Json;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a FAISS {@code IndexFlatIP} or {@code IndexFlatL2} written by {@code faiss.write_index},
 * with the metadata JSON beside it (a list of {@code {id, content, ...}} in vector order), so a
 * team can point Jingnei at the index its Python pipeline already built.
 */
public final class FaissIndexReader {
    private static final ObjectMapper JSON = Json.mapper();

    private FaissIndexReader() {
    }

    public static VectorIndex read(byte[] index, byte[] metadata, String modelId) {
        try {
            return read(new java.io.ByteArrayInputStream(index), metadata, modelId);
        } catch (IOException e) {
            throw new IndexException("cannot read the FAISS index: " + e.getMessage());
        }
    }

    /** Reads the index as it streams in (blocking: call on a worker thread). */
    public static VectorIndex read(InputStream stream, byte[] metadata, String modelId) throws IOException {
        IndexInput in = new IndexInput(stream);
        String fourcc;
        try {
            fourcc = new String(in.bytes(4), java.nio.charset.StandardCharsets.US_ASCII);
        } catch (java.io.EOFException e) {
            throw new IndexException("FAISS index is too short to be one");
        }
        VectorIndex.Metric metric;
        switch (fourcc) {
            case "IxFI":
                metric = VectorIndex.Metric.INNER_PRODUCT;
                break;
            case "IxF2":
                metric = VectorIndex.Metric.L2;
                break;
            default:
                throw new IndexException("FAISS index type '" + fourcc + "' is not supported; write an IndexFlatIP or IndexFlatL2");
        }
        long floats;
        int dimension;
        long count;
        try {
            dimension = in.i32();
            count = in.i64();
            in.i64(); // dummy, 1 << 20
            in.i64(); // dummy, 1 << 20
            in.u8(); // is_trained
            int metricType = in.i32();
            if (metricType > 1) {
                in.f32(); // metric_arg
            }
            floats = in.i64();
        } catch (java.io.EOFException e) {
            throw new IndexException("FAISS index is too short to be one");
        }
        if (dimension <= 0 || count < 0 || floats != count * dimension || floats > Integer.MAX_VALUE - 8) {
            throw new IndexException("FAISS index is corrupt: " + count + " x " + dimension + " vectors declared, " + floats + " values");
        }
        float[] values = new float[(int) floats];
        try {
            in.floats(values, (int) floats);
        } catch (java.io.EOFException e) {
            throw new IndexException("FAISS index is truncated: " + e.getMessage());
        }
        List<Chunk> chunks = chunks(metadata);
        if (chunks.size() != count) {
            throw new IndexException("FAISS index has " + count + " vectors but its metadata lists " + chunks.size() + " entries");
        }
        return new VectorIndex(new Vectors.Float32(values, dimension), ChunkStore.of(chunks), modelId, metric, Kernels.best());
    }

    private static List<Chunk> chunks(byte[] metadata) {
        JsonNode list;
        try {
            list = JSON.readTree(metadata);
        } catch (IOException e) {
            throw new IndexException("FAISS metadata is not valid JSON");
        }
        if (list == null || !list.isArray()) {
            throw new IndexException("FAISS metadata must be a JSON list of {id, content, ...}");
        }
        List<Chunk> chunks = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            String content = entry.path("content").asText(entry.path("text").asText(null));
            if (content == null) {
                throw new IndexException("FAISS metadata entry " + i + " has no 'content'");
            }
            ObjectNode rest = JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> fields = entry.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getKey().equals("id") && !field.getKey().equals("content")) {
                    rest.set(field.getKey(), field.getValue());
                }
            }
            chunks.add(new Chunk(entry.path("id").asText(String.valueOf(i)), 0, content, rest.toString()));
        }
        return chunks;
    }
}
