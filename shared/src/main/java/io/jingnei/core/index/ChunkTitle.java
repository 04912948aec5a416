package io.jingnei.core.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.util.Json;

/** The title a chunk's metadata gives ({@code "title"}), or "": the lexical index's title field and the embedded text's first line. */
public final class ChunkTitle {
    private static final ObjectMapper JSON = Json.mapper();

    private ChunkTitle() {
    }

    public static String of(String metadataJson) {
        if (metadataJson == null || metadataJson.indexOf("\"title\"") < 0) {
            return "";
        }
        try {
            JsonNode title = JSON.readTree(metadataJson).path("title");
            return title.isTextual() ? title.asText().trim() : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** What the embedder sees for a chunk: its title, when it has one, on the line before the text. */
    public static String embeddedText(Chunk chunk) {
        String title = of(chunk.metadataJson);
        return title.isEmpty() ? chunk.text : title + "\n" + chunk.text;
    }
}
