package io.jingnei.core.documents;

import com.fasterxml.jackson.databind.JsonNode;
import io.jingnei.core.text.JsonLines;

import java.util.ArrayList;
import java.util.List;

/** One document per line: {@code {id, content, metadata}} ({@code text} for {@code content}). */
final class JsonlFormat implements FormatReader {
    @Override
    public List<SourceDocument> read(FileInput file) throws UnreadableFileException {
        List<SourceDocument> documents = new ArrayList<>();
        for (JsonLines.Line line : JsonLines.parse(file.bytes)) {
            if (!line.isJson()) {
                throw new UnreadableFileException(line.problem());
            }
            JsonNode node = line.node;
            String content = node.path("content").asText(node.path("text").asText(""));
            if (content.isBlank()) {
                throw new UnreadableFileException("line " + line.number + " has no 'content'");
            }
            String id = node.path("id").asText("line-" + line.number);
            JsonNode metadata = node.path("metadata");
            documents.add(new SourceDocument(id, content, metadata.isObject() ? metadata.toString() : "{}"));
        }
        return documents;
    }
}
