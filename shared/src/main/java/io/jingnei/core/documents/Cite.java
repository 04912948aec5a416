package io.jingnei.core.documents;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.util.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a source shows a reader: the file name and where in it ({@code 退换货政策.pdf · 第3页},
 * {@code 售后手册.docx · 退货流程}), kept as the chunk metadata's {@code cite}.
 */
final class Cite {
    private static final ObjectMapper JSON = Json.mapper();

    private Cite() {
    }

    static String of(FileInput file, String where) {
        return where == null || where.isBlank() ? file.fileName() : file.fileName() + " · " + where.trim();
    }

    static String page(int page) {
        return "第" + page + "页";
    }

    /** Section metadata: {@code cite}, then the given pairs (key, value, key, value...). */
    static Map<String, Object> metadata(String cite, Object... pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cite", cite);
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            out.put((String) pairs[i], pairs[i + 1]);
        }
        return out;
    }

    /** The file-level metadata of a document read from a file: its URI and file name. */
    static String fileMetadata(FileInput file) {
        ObjectNode node = JSON.createObjectNode();
        node.put("source", file.uri.toString());
        node.put("file", file.fileName());
        return node.toString();
    }
}
