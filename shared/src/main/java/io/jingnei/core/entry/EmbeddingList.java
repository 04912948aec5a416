package io.jingnei.core.entry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.embed.Embedder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

/**
 * The local model's answer as OpenAI's embedding list: floats, or base64 of little-endian float32
 * as the SDKs decode it, and the model's own token count as usage.
 */
final class EmbeddingList {
    private EmbeddingList() {
    }

    /** The local model's vectors for the inputs, as OpenAI's embedding list. */
    static ObjectNode of(Embedder embedder, List<String> inputs, boolean base64) {
        List<float[]> vectors = embedder.embed(inputs);
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        long tokens = 0;
        for (int i = 0; i < vectors.size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            float[] v = vectors.get(i);
            if (base64) {
                ByteBuffer bytes = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(v);
                item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float x : v) {
                    values.add(x);
                }
            }
            tokens += embedder.tokenCount(inputs.get(i));
        }
        out.put("model", embedder.modelId());
        out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return out;
    }
}
