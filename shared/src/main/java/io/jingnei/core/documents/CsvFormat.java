package io.jingnei.core.documents;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.text.CsvReader;
import io.jingnei.core.util.Json;

import java.util.ArrayList;
import java.util.List;

/** One document per row: a header naming {@code content} (or {@code text}) and ideally {@code id}; other columns become metadata. */
final class CsvFormat implements FormatReader {
    private static final ObjectMapper JSON = Json.mapper();

    @Override
    public List<SourceDocument> read(FileInput file) throws UnreadableFileException {
        List<CsvReader.Row> rows = CsvReader.parse(file.text());
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> header = rows.get(0).fields;
        int id = header.indexOf("id");
        int content = header.contains("content") ? header.indexOf("content") : header.indexOf("text");
        if (content < 0) {
            throw new UnreadableFileException("the CSV header must name a 'content' column (and ideally 'id'), got " + header);
        }
        List<SourceDocument> documents = new ArrayList<>();
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r).fields;
            if (row.size() <= content || row.get(content).isBlank()) {
                continue;
            }
            var metadata = JSON.createObjectNode();
            for (int c = 0; c < header.size() && c < row.size(); c++) {
                if (c != id && c != content) {
                    metadata.put(header.get(c), row.get(c));
                }
            }
            documents.add(new SourceDocument(id >= 0 && id < row.size() ? row.get(id) : "row-" + r, row.get(content), metadata.toString()));
        }
        return documents;
    }
}
