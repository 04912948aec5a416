package io.jingnei.core.documents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.util.Json;

import java.util.ArrayList;
import java.util.List;

/** One document per line: {@code {id, content, metadata}} ({@code text} for {@code content}). */
final class JsonlFormat implements FormatReader {
    private static final ObjectMapper JSON = Json.mapper();

    @Override
    public List<SourceDocument> read(FileInput file) throws UnreadableFileException {
        List<SourceDocument> documents = new ArrayList<>();
        String[] lines = file.text().split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(lines[i]);
            } catch (Exception e) {
                throw new UnreadableFileException("line " + (i + 1) + " is not valid JSON");
            }
            String content = node.path("content").asText(node.path("text").asText(""));
            if (content.isBlank()) {
                throw new UnreadableFileException("line " + (i + 1) + " has no 'content'");
            }
            String id = node.path("id").asText("line-" + (i + 1));
            JsonNode metadata = node.path("metadata");
            documents.add(new SourceDocument(id, content, metadata.isObject() ? metadata.toString() : "{}"));
        }
        return documents;
    }
}
