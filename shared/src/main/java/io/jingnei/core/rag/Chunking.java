package io.jingnei.core.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.documents.SourceDocument;
import io.jingnei.core.index.Chunk;
import io.jingnei.core.util.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A document's chunks: each section split on its own, numbered through the document. A chunk's
 * metadata is the document's with its section's added ({@code title} when the section has one,
 * {@code page}, {@code cite}).
 */
final class Chunking {
    private static final ObjectMapper JSON = Json.mapper();

    private Chunking() {
    }

    static List<Chunk> chunks(SourceDocument document, TextChunker chunker) {
        List<Chunk> out = new ArrayList<>();
        for (SourceDocument.Section section : document.sections) {
            String metadata = metadata(document.metadataJson, section);
            for (String piece : chunker.split(section.text)) {
                out.add(new Chunk(document.id, out.size(), piece, metadata));
            }
        }
        return out;
    }

    private static String metadata(String documentJson, SourceDocument.Section section) {
        if (section.title.isEmpty() && section.metadata.isEmpty()) {
            return documentJson;
        }
        ObjectNode node;
        try {
            JsonNode parsed = JSON.readTree(documentJson);
            node = parsed instanceof ObjectNode ? (ObjectNode) parsed : JSON.createObjectNode();
        } catch (IOException e) {
            node = JSON.createObjectNode();
        }
        if (!section.title.isEmpty()) {
            node.put("title", section.title);
        }
        for (Map.Entry<String, Object> field : section.metadata.entrySet()) {
            node.set(field.getKey(), JSON.valueToTree(field.getValue()));
        }
        return node.toString();
    }
}
