package io.jingnei.core.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.storage.ObjectStore;
import io.jingnei.core.storage.StoredObject;
import io.jingnei.core.text.CsvReader;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a knowledge base: a JSONL file of {@code {id, content, metadata}}, a CSV with a header
 * naming {@code id} and {@code content} columns, a Markdown or text file (one document), or a
 * folder of those (every object under the prefix).
 */
public final class DocumentReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ObjectStore store;

    public DocumentReader(ObjectStore store) {
        this.store = store;
    }

    /** Bad knowledge-base input is the caller's to fix: a 400 that names the file (and line). */
    private static JingneiException invalid(String message) {
        return new JingneiException(ErrorKind.INVALID_REQUEST, message);
    }

    public CompletableFuture<List<SourceDocument>> read(URI input) {
        String path = input.getPath() == null ? "" : input.getPath();
        if (path.endsWith("/") || !hasKnownExtension(path)) {
            return store.list(input).thenCompose(uris -> {
                List<CompletableFuture<List<SourceDocument>>> parts = new ArrayList<>();
                for (URI uri : uris) {
                    if (hasKnownExtension(uri.getPath())) {
                        parts.add(readOne(uri, relativeName(input, uri)));
                    }
                }
                return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0])).thenApply(done -> {
                    List<SourceDocument> all = new ArrayList<>();
                    parts.forEach(p -> all.addAll(p.join()));
                    if (all.isEmpty()) {
                        throw invalid(input + " holds no .jsonl, .csv, .md or .txt documents");
                    }
                    return all;
                });
            });
        }
        return readOne(input, fileName(path));
    }

    private CompletableFuture<List<SourceDocument>> readOne(URI uri, String name) {
        return store.get(uri).thenApply(object -> parse(uri, name, object));
    }

    static List<SourceDocument> parse(URI uri, String name, StoredObject object) {
        String text = new String(object.bytes, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // Excel's UTF-8 byte-order mark
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".jsonl")) {
            return jsonl(uri, text);
        }
        if (lower.endsWith(".csv")) {
            return csv(uri, text);
        }
        return List.of(new SourceDocument(name, text, "{\"source\":" + JSON.valueToTree(uri.toString()) + "}"));
    }

    private static List<SourceDocument> jsonl(URI uri, String text) {
        List<SourceDocument> documents = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(lines[i]);
            } catch (Exception e) {
                throw invalid(uri + " line " + (i + 1) + " is not valid JSON");
            }
            String content = node.path("content").asText(node.path("text").asText(""));
            if (content.isBlank()) {
                throw invalid(uri + " line " + (i + 1) + " has no 'content'");
            }
            String id = node.path("id").asText("line-" + (i + 1));
            JsonNode metadata = node.path("metadata");
            documents.add(new SourceDocument(id, content, metadata.isObject() ? metadata.toString() : "{}"));
        }
        return documents;
    }

    private static List<SourceDocument> csv(URI uri, String text) {
        List<CsvReader.Row> rows = CsvReader.parse(text);
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> header = rows.get(0).fields;
        int id = header.indexOf("id");
        int content = header.contains("content") ? header.indexOf("content") : header.indexOf("text");
        if (content < 0) {
            throw invalid(uri + ": the CSV header must name a 'content' column (and ideally 'id'), got " + header);
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

    private static boolean hasKnownExtension(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.endsWith(".jsonl") || lower.endsWith(".csv") || lower.endsWith(".md") || lower.endsWith(".markdown") || lower.endsWith(".txt");
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String relativeName(URI root, URI file) {
        String rootPath = root.getPath() == null ? "" : root.getPath();
        String filePath = file.getPath();
        return filePath.startsWith(rootPath) ? filePath.substring(rootPath.length()).replaceFirst("^/", "") : fileName(filePath);
    }
}
