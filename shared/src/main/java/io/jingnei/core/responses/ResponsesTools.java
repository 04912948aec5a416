package io.jingnei.core.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static io.jingnei.core.responses.ResponsesRequest.refused;

/**
 * Function tools and {@code tool_choice} between the two shapes: the Responses API's flat
 * {@code {type, name, description, parameters, strict}} and chat's {@code {type, function: {...}}}.
 * Built-in tools (web search, file search, computer use, MCP...) run inside OpenAI's platform, which
 * an upstream behind Jingnei does not have: they are refused by name.
 */
final class ResponsesTools {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ResponsesTools() {
    }

    /** Sets chat's {@code tools}; returns the tools as a Response object repeats them. */
    static ArrayNode toChat(JsonNode tools, ObjectNode chat) {
        ArrayNode echo = JSON.arrayNode();
        if (tools == null || tools.isNull()) {
            return echo;
        }
        if (!tools.isArray()) {
            throw refused("tools", "'tools' must be a list of function tools");
        }
        if (tools.isEmpty()) {
            return echo;
        }
        ArrayNode chatTools = chat.putArray("tools");
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String type = tool.path("type").asText("");
            if (!type.equals("function")) {
                throw refused("tools[" + i + "].type", "tools[" + i + "] is of type '" + type + "'; only function tools are served "
                        + "(built-in tools run on OpenAI's platform, not on the upstreams behind Jingnei)");
            }
            if (!tool.path("name").isTextual() || tool.path("name").asText().isBlank()) {
                throw refused("tools[" + i + "].name", "tools[" + i + "] needs a 'name'");
            }
            ObjectNode function = chatTools.addObject().put("type", "function").putObject("function");
            function.set("name", tool.get("name"));
            copyIfPresent(tool, "description", function);
            copyIfPresent(tool, "parameters", function);
            copyIfPresent(tool, "strict", function);
            ObjectNode echoed = echo.addObject().put("type", "function");
            echoed.set("name", tool.get("name"));
            echoed.set("description", tool.hasNonNull("description") ? tool.get("description") : JSON.nullNode());
            echoed.set("parameters", tool.path("parameters").isObject() ? tool.get("parameters") : JSON.nullNode());
            echoed.set("strict", tool.path("strict").isBoolean() ? tool.get("strict") : JSON.nullNode());
        }
        return echo;
    }

    /** {@code none | auto | required} pass as they are; a named function changes shape; nothing else is served. */
    static void toolChoice(JsonNode choice, ObjectNode chat) {
        if (choice == null || choice.isNull()) {
            return;
        }
        if (choice.isTextual() && (choice.asText().equals("none") || choice.asText().equals("auto") || choice.asText().equals("required"))) {
            chat.set("tool_choice", choice);
            return;
        }
        if (choice.path("type").asText("").equals("function") && choice.path("name").isTextual()) {
            ObjectNode named = chat.putObject("tool_choice").put("type", "function");
            named.putObject("function").set("name", choice.get("name"));
            return;
        }
        throw refused("tool_choice", "'tool_choice' must be none, auto, required or {\"type\": \"function\", \"name\": ...}");
    }

    private static void copyIfPresent(JsonNode from, String field, ObjectNode to) {
        if (from.hasNonNull(field)) {
            to.set(field, from.get(field));
        }
    }
}
