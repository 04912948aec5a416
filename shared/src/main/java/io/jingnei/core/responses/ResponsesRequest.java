package io.jingnei.core.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

import java.util.List;

/**
 * A {@code POST /v1/responses} body as the chat-completions body Jingnei sends upstream, plus what
 * every Response object echoes back (instructions, tools, sampling). Pure: no I/O, no state.
 *
 * <p>Jingnei stores no responses, so whatever needs a stored one ({@code previous_response_id},
 * {@code conversation}, {@code background}, item references, stored prompts) is a 400 naming its
 * param and saying to send the conversation as {@code input}; so is any tool other than a function.
 * Fields that change nothing here ({@code store}, {@code include}, {@code truncation},
 * {@code metadata}, {@code service_tier}...) are accepted and not forwarded.
 */
public final class ResponsesRequest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Request fields that would need a response Jingnei kept: refused, each with the same advice. */
    private static final List<String> STATEFUL = List.of("previous_response_id", "conversation", "prompt");

    /** The chat-completions body; {@code stream} asks for usage so the last event can carry it. */
    public final ObjectNode chat;
    /** Fields every Response object of this request repeats, as the spec requires them. */
    public final ObjectNode echo;
    public final boolean stream;

    private ResponsesRequest(ObjectNode chat, ObjectNode echo, boolean stream) {
        this.chat = chat;
        this.echo = echo;
        this.stream = stream;
    }

    /** @throws JingneiException INVALID_REQUEST naming the param, for what is malformed or not served */
    public static ResponsesRequest from(ObjectNode body) {
        for (String field : STATEFUL) {
            if (body.hasNonNull(field)) {
                throw refused(field, "'" + field + "' is not supported: Jingnei keeps no responses or conversations; "
                        + "send the whole conversation as 'input' (earlier output items included)");
            }
        }
        if (body.path("background").asBoolean(false)) {
            throw refused("background", "'background' is not supported: Jingnei keeps no responses to poll; "
                    + "use stream: true for long answers");
        }
        ObjectNode chat = JSON.objectNode();
        if (body.has("model")) {
            chat.set("model", body.get("model"));
        }
        ArrayNode messages = chat.putArray("messages");
        JsonNode instructions = body.get("instructions");
        if (instructions != null && !instructions.isNull()) {
            if (!instructions.isTextual()) {
                throw refused("instructions", "'instructions' must be a string");
            }
            messages.addObject().put("role", "system").put("content", instructions.asText());
        }
        ResponsesInput.addMessages(body.get("input"), messages);
        copyNumber(body, "max_output_tokens", chat, "max_tokens", true);
        copyNumber(body, "temperature", chat, "temperature", false);
        copyNumber(body, "top_p", chat, "top_p", false);
        ArrayNode tools = ResponsesTools.toChat(body.get("tools"), chat);
        ResponsesTools.toolChoice(body.get("tool_choice"), chat);
        if (body.path("parallel_tool_calls").isBoolean()) {
            chat.set("parallel_tool_calls", body.get("parallel_tool_calls"));
        }
        textFormat(body.path("text").path("format"), chat);
        if (body.path("reasoning").path("effort").isTextual()) {
            chat.put("reasoning_effort", body.path("reasoning").path("effort").asText());
        }
        if (body.path("user").isTextual()) {
            chat.put("user", body.path("user").asText());
        }
        JsonNode stream = body.get("stream");
        if (stream != null && !stream.isBoolean() && !stream.isNull()) {
            throw refused("stream", "'stream' must be true or false");
        }
        boolean streamed = stream != null && stream.asBoolean(false);
        if (streamed) {
            chat.put("stream", true);
            chat.putObject("stream_options").put("include_usage", true);
        }
        return new ResponsesRequest(chat, echo(body, tools), streamed);
    }

    private static ObjectNode echo(ObjectNode body, ArrayNode tools) {
        ObjectNode echo = JSON.objectNode();
        echo.set("instructions", body.hasNonNull("instructions") ? body.get("instructions") : JSON.nullNode());
        echo.set("max_output_tokens", body.hasNonNull("max_output_tokens") ? body.get("max_output_tokens") : JSON.nullNode());
        echo.set("metadata", body.path("metadata").isObject() ? body.get("metadata") : JSON.objectNode());
        echo.put("parallel_tool_calls", body.path("parallel_tool_calls").asBoolean(true));
        echo.putNull("previous_response_id");
        echo.putNull("reasoning");
        echo.put("store", false);
        echo.set("temperature", body.path("temperature").isNumber() ? body.get("temperature") : JSON.numberNode(1));
        echo.set("text", body.path("text").path("format").isObject() ? body.get("text") : textDefault());
        echo.set("tool_choice", body.hasNonNull("tool_choice") ? body.get("tool_choice") : JSON.textNode("auto"));
        echo.set("tools", tools);
        echo.set("top_p", body.path("top_p").isNumber() ? body.get("top_p") : JSON.numberNode(1));
        echo.put("truncation", "disabled");
        if (body.path("user").isTextual()) {
            echo.set("user", body.get("user"));
        }
        return echo;
    }

    private static ObjectNode textDefault() {
        ObjectNode text = JSON.objectNode();
        text.putObject("format").put("type", "text");
        return text;
    }

    /** {@code text.format} as chat's {@code response_format}: the same three kinds, laid out differently. */
    private static void textFormat(JsonNode format, ObjectNode chat) {
        if (format.isMissingNode() || format.isNull()) {
            return;
        }
        String type = format.path("type").asText("");
        switch (type) {
            case "text":
                return;
            case "json_object":
                chat.putObject("response_format").put("type", "json_object");
                return;
            case "json_schema":
                ObjectNode schema = format.deepCopy();
                schema.remove("type");
                ObjectNode responseFormat = chat.putObject("response_format").put("type", "json_schema");
                responseFormat.set("json_schema", schema);
                return;
            default:
                throw refused("text.format.type", "'text.format.type' must be text, json_object or json_schema");
        }
    }

    private static void copyNumber(ObjectNode body, String from, ObjectNode chat, String to, boolean integer) {
        JsonNode value = body.get(from);
        if (value == null || value.isNull()) {
            return;
        }
        if (integer ? !value.canConvertToInt() || !value.isIntegralNumber() : !value.isNumber()) {
            throw refused(from, "'" + from + "' must be " + (integer ? "an integer" : "a number"));
        }
        chat.set(to, value);
    }

    /**
     * A refusal of the chat body (a cap, a denied param) in the caller's own terms: the Responses
     * API names {@code max_tokens} {@code max_output_tokens} and {@code messages} {@code input}.
     */
    public static JingneiException inResponsesTerms(JingneiException chatRefusal) {
        String param = chatRefusal.param().orElse(null);
        String renamed = "max_tokens".equals(param) ? "max_output_tokens" : "messages".equals(param) ? "input" : null;
        if (renamed == null) {
            return chatRefusal;
        }
        return new JingneiException(chatRefusal.kind(), chatRefusal.getMessage().replace("'" + param + "'", "'" + renamed + "'"), chatRefusal)
                .about(renamed);
    }

    static JingneiException refused(String param, String message) {
        return new JingneiException(ErrorKind.INVALID_REQUEST, message).about(param);
    }
}
