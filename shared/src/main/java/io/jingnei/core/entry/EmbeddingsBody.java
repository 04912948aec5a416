package io.jingnei.core.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.embed.Embedder;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.request.RequestCaps;

import java.util.ArrayList;
import java.util.List;

/** What a {@code POST /v1/embeddings} body may ask: its texts, and the one size the local model has. */
final class EmbeddingsBody {
    private EmbeddingsBody() {
    }

    /**
     * The local model has one size: a {@code dimensions} other than it is refused rather than ignored
     * (a client that asked for 256 and stores what it got would mix sizes in its index).
     */
    static Embedder servedDimensions(Embedder embedder, ObjectNode body) {
        JsonNode asked = body.get("dimensions");
        if (asked != null && !asked.isNull() && (!asked.canConvertToInt() || !asked.isIntegralNumber() || asked.asInt() != embedder.dimension())) {
            throw new JingneiException(ErrorKind.INVALID_REQUEST, "'dimensions' must be " + embedder.dimension() + " (or left out): the "
                    + "local embedding model " + embedder.modelId() + " returns " + embedder.dimension() + " dimensions only").about("dimensions");
        }
        return embedder;
    }

    /** The texts to embed, within JINGNEI_MAX_EMBEDDING_INPUTS and the query cap each. */
    static List<String> inputs(JsonNode input, int maxEmbeddingInputs, RequestCaps caps) {
        List<String> texts = new ArrayList<>();
        if (input != null && input.isTextual()) {
            texts.add(input.asText());
        } else if (input != null && input.isArray()) {
            for (JsonNode item : input) {
                if (!item.isTextual()) {
                    throw new JingneiException(ErrorKind.INVALID_REQUEST,
                            "'input' must be a string or a list of strings (token arrays are not supported by the local model)");
                }
                texts.add(item.asText());
            }
        }
        if (texts.isEmpty()) {
            throw new JingneiException(ErrorKind.INVALID_REQUEST, "'input' is required: a string or a non-empty list of strings");
        }
        if (texts.size() > maxEmbeddingInputs) {
            throw new JingneiException(ErrorKind.PAYLOAD_TOO_LARGE, "'input' has " + texts.size() + " texts; the limit is "
                    + maxEmbeddingInputs + " (JINGNEI_MAX_EMBEDDING_INPUTS)");
        }
        for (String text : texts) {
            caps.query("input", text);
        }
        return texts;
    }
}
