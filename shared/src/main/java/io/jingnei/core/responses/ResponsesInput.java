package io.jingnei.core.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static io.jingnei.core.responses.ResponsesRequest.refused;

/**
 * The Responses API's {@code input} as chat messages. A string is one user message. A list holds
 * messages (roles user, assistant, system, developer; text as a string or as parts), the model's
 * earlier {@code function_call} items (they become the assistant's {@code tool_calls}, consecutive
 * calls joining one assistant message as chat expects) and the caller's
 * {@code function_call_output} items (tool messages).
 *
 * <p>Text parts are joined into one string, because several upstreams (DeepSeek among them) accept
 * only a string as content; a message with an image keeps chat's list of parts. {@code developer}
 * becomes {@code system}, the role every upstream knows.
 */
final class ResponsesInput {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ResponsesInput() {
    }

    static void addMessages(JsonNode input, ArrayNode messages) {
        if (input != null && input.isTextual()) {
            messages.addObject().put("role", "user").put("content", input.asText());
            return;
        }
        if (input == null || !input.isArray() || input.isEmpty()) {
            throw refused("input", "'input' is required: a string, or a list of messages and function call items");
        }
        for (int i = 0; i < input.size(); i++) {
            add(input.get(i), "input[" + i + "]", messages);
        }
    }

    private static void add(JsonNode item, String where, ArrayNode messages) {
        if (!item.isObject()) {
            throw refused(where, where + " must be an object");
        }
        String type = item.path("type").asText("message");
        switch (type) {
            case "message":
                messages.add(message(item, where));
                return;
            case "function_call":
                functionCall(item, where, messages);
                return;
            case "function_call_output":
                ObjectNode tool = messages.addObject().put("role", "tool");
                tool.put("tool_call_id", text(item, "call_id", where));
                tool.put("content", outputText(item.get("output"), where + ".output"));
                return;
            case "item_reference":
                throw refused(where + ".type", where + " is an item_reference: Jingnei keeps no items; send the item itself");
            default:
                throw refused(where + ".type", where + " is of type '" + type
                        + "'; served input items are message, function_call and function_call_output");
        }
    }

    private static ObjectNode message(JsonNode item, String where) {
        String role = item.path("role").asText("");
        ObjectNode message = JSON.objectNode();
        switch (role) {
            case "user":
                message.put("role", "user");
                break;
            case "assistant":
                message.put("role", "assistant");
                break;
            case "system":
            case "developer":
                message.put("role", "system");
                break;
            default:
                throw refused(where + ".role", where + ".role must be user, assistant, system or developer");
        }
        JsonNode content = item.get("content");
        if (content != null && content.isTextual()) {
            message.put("content", content.asText());
        } else if (content != null && content.isArray()) {
            message.set("content", parts(content, where + ".content", role.equals("user")));
        } else {
            throw refused(where + ".content", where + ".content must be a string or a list of content parts");
        }
        return message;
    }

    /** A string when every part is text; chat's list of parts when a user message carries an image. */
    private static JsonNode parts(JsonNode parts, String where, boolean imagesAllowed) {
        StringBuilder joined = new StringBuilder();
        ArrayNode chatParts = JSON.arrayNode();
        boolean image = false;
        for (int i = 0; i < parts.size(); i++) {
            JsonNode part = parts.get(i);
            String at = where + "[" + i + "]";
            String type = part.path("type").asText("");
            switch (type) {
                case "input_text":
                case "output_text":
                    String text = text(part, "text", at);
                    joined.append(joined.length() == 0 ? "" : "\n").append(text);
                    chatParts.addObject().put("type", "text").put("text", text);
                    break;
                case "refusal":
                    String refusal = text(part, "refusal", at);
                    joined.append(joined.length() == 0 ? "" : "\n").append(refusal);
                    chatParts.addObject().put("type", "text").put("text", refusal);
                    break;
                case "input_image":
                    if (!imagesAllowed || !part.path("image_url").isTextual()) {
                        throw refused(at, at + ": an input_image is served in user messages, by 'image_url' (a URL or a data: URL); "
                                + "file_id needs OpenAI's file store");
                    }
                    image = true;
                    ObjectNode url = chatParts.addObject().put("type", "image_url").putObject("image_url");
                    url.set("url", part.get("image_url"));
                    if (part.path("detail").isTextual()) {
                        url.set("detail", part.get("detail"));
                    }
                    break;
                default:
                    throw refused(at + ".type", at + " is of type '" + type
                            + "'; served content parts are input_text, input_image (user), output_text and refusal");
            }
        }
        return image ? chatParts : JSON.textNode(joined.toString());
    }

    /** The model's earlier call, joined to the assistant message just before it when there is one. */
    private static void functionCall(JsonNode item, String where, ArrayNode messages) {
        ObjectNode call = JSON.objectNode().put("id", text(item, "call_id", where)).put("type", "function");
        call.putObject("function").put("name", text(item, "name", where)).put("arguments", text(item, "arguments", where));
        JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        ObjectNode assistant;
        if (last != null && last.path("role").asText().equals("assistant")) {
            assistant = (ObjectNode) last;
        } else {
            assistant = messages.addObject().put("role", "assistant");
            assistant.putNull("content");
        }
        JsonNode calls = assistant.get("tool_calls");
        (calls == null ? assistant.putArray("tool_calls") : (ArrayNode) calls).add(call);
    }

    /** A function's output: a string, or text parts (joined). */
    private static String outputText(JsonNode output, String where) {
        if (output != null && output.isTextual()) {
            return output.asText();
        }
        if (output != null && output.isArray()) {
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < output.size(); i++) {
                if (!output.get(i).path("type").asText().equals("input_text")) {
                    throw refused(where + "[" + i + "]", where + "[" + i + "]: a function output is served as text (input_text parts)");
                }
                joined.append(joined.length() == 0 ? "" : "\n").append(text(output.get(i), "text", where + "[" + i + "]"));
            }
            return joined.toString();
        }
        throw refused(where, where + " must be a string or a list of input_text parts");
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw refused(where + "." + field, where + "." + field + " must be a string");
        }
        return value.asText();
    }
}
