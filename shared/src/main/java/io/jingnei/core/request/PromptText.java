package io.jingnei.core.request;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The characters of a {@code /v1} chat body that reach the model as text: every string and field
 * name in the messages (content in any shape, {@code name}, tool-call arguments,
 * {@code reasoning_content}), the tools and functions (descriptions and parameter schemas), the
 * {@code prediction}, the {@code response_format} schema and {@code tool_choice}. Images, audio and
 * files are not text and are bounded by the body size instead. One count for the prompt cap and the
 * token estimate, so what is refused and what is reserved agree (security review: a prompt hidden
 * in tool schemas was neither capped nor counted).
 */
public final class PromptText {
    /** Top-level fields that are prompt text besides {@code messages}. */
    static final Set<String> PROMPT_FIELDS = Set.of("messages", "tools", "functions", "prediction", "response_format", "tool_choice",
            "function_call");
    /** Binary payloads inside content parts: not text, whatever their encoding. */
    private static final Set<String> MEDIA = Set.of("image_url", "input_audio", "file", "audio");

    private PromptText() {
    }

    public static long chars(JsonNode body) {
        long chars = 0;
        for (String field : PROMPT_FIELDS) {
            JsonNode value = body.get(field);
            if (value != null) {
                chars += field.equals("messages") ? messages(value) : textIn(value);
            }
        }
        return chars;
    }

    /** The role names are not counted: they are a token each, not text a caller can grow. */
    private static long messages(JsonNode messages) {
        long chars = 0;
        for (JsonNode message : messages) {
            Iterator<Map.Entry<String, JsonNode>> fields = message.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getKey().equals("role")) {
                    chars += textIn(field.getValue());
                }
            }
        }
        return chars;
    }

    private static long textIn(JsonNode node) {
        if (node.isTextual()) {
            return node.asText().length();
        }
        long chars = 0;
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!MEDIA.contains(field.getKey())) {
                    chars += field.getKey().length() + textIn(field.getValue());
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                chars += textIn(item);
            }
        } else if (node.isValueNode() && !node.isNull()) {
            chars += node.asText().length();
        }
        return chars;
    }
}
