package io.jingnei.core.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

/**
 * Response objects and their output items as the OpenAI spec lays them out ({@code Response},
 * {@code OutputMessage}, {@code FunctionToolCall}, {@code ResponseUsage}), built from chat answers.
 * Ids are derived from our request id ({@code resp_<id>}, {@code msg_<id>}, {@code fc_<id>_<n>}),
 * so a Response can be found in the log by the id the caller holds. Pure.
 */
public final class ResponseObjects {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ResponseObjects() {
    }

    /** A non-streamed chat completion as the Response object the Responses API answers. */
    public static ObjectNode fromChat(JsonNode completion, ObjectNode echo, String requestId) {
        long created = completion.path("created").asLong(now());
        ObjectNode response = skeleton(requestId, completion.path("model").asText(""), created, echo);
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        ArrayNode output = (ArrayNode) response.get("output");
        String text = message.path("content").asText("");
        boolean calls = message.path("tool_calls").isArray() && !message.path("tool_calls").isEmpty();
        if (!text.isEmpty() || message.path("refusal").isTextual() || !calls) {
            ObjectNode item = messageItem(messageId(requestId, 0), "completed");
            ArrayNode content = (ArrayNode) item.get("content");
            if (message.path("refusal").isTextual() && text.isEmpty()) {
                content.addObject().put("type", "refusal").put("refusal", message.path("refusal").asText());
            } else {
                content.add(textPart(text));
            }
            output.add(item);
        }
        int n = 0;
        for (JsonNode call : message.path("tool_calls")) {
            output.add(functionCall(functionCallId(requestId, n), callId(call.path("id").asText(null), requestId, n),
                    call.path("function").path("name").asText(""), call.path("function").path("arguments").asText(""), "completed"));
            n++;
        }
        finish(response, choice.path("finish_reason").asText(null));
        setUsage(response, completion.get("usage"));
        return response;
    }

    /** A Response with no output yet: status {@code in_progress}, error null, no usage. */
    static ObjectNode skeleton(String requestId, String model, long createdAt, ObjectNode echo) {
        ObjectNode response = JSON.objectNode().put("id", "resp_" + requestId).put("object", "response").put("created_at", createdAt)
                .put("status", "in_progress");
        response.putNull("completed_at");
        response.putNull("error");
        response.putNull("incomplete_details");
        response.set("instructions", echo.get("instructions"));
        response.set("max_output_tokens", echo.get("max_output_tokens"));
        response.put("model", model);
        response.putArray("output");
        echo.fields().forEachRemaining(field -> {
            if (!response.has(field.getKey())) {
                response.set(field.getKey(), field.getValue().deepCopy());
            }
        });
        return response;
    }

    /** Sets the end state from chat's finish reason: cut by the token limit or a filter is {@code incomplete}. */
    static void finish(ObjectNode response, String finishReason) {
        if ("length".equals(finishReason) || "content_filter".equals(finishReason)) {
            response.put("status", "incomplete");
            response.putObject("incomplete_details").put("reason", "length".equals(finishReason) ? "max_output_tokens" : "content_filter");
        } else {
            response.put("status", "completed");
            response.put("completed_at", now());
        }
    }

    /** The spec's {@code ResponseError}: its code is one of a fixed list, so ours map to the two that fit. */
    static void fail(ObjectNode response, JingneiException error) {
        response.put("status", "failed");
        boolean rateLimited = error.kind() == ErrorKind.RATE_LIMITED || error.kind() == ErrorKind.INSUFFICIENT_QUOTA;
        response.putObject("error").put("code", rateLimited ? "rate_limit_exceeded" : "server_error").put("message", error.getMessage());
    }

    /**
     * Chat usage as {@code ResponseUsage}. Left out when the upstream reported none: the spec types
     * {@code usage} as an object, not null (its own examples' {@code "usage": null} fail its schema).
     */
    static void setUsage(ObjectNode response, JsonNode chat) {
        if (chat == null || !chat.isObject()) {
            response.remove("usage");
            return;
        }
        long input = chat.path("prompt_tokens").asLong(0);
        long output = chat.path("completion_tokens").asLong(0);
        ObjectNode usage = JSON.objectNode().put("input_tokens", input);
        usage.putObject("input_tokens_details").put("cached_tokens", chat.path("prompt_tokens_details").path("cached_tokens").asLong(0))
                .put("cache_write_tokens", 0);
        usage.put("output_tokens", output);
        usage.putObject("output_tokens_details")
                .put("reasoning_tokens", chat.path("completion_tokens_details").path("reasoning_tokens").asLong(0));
        usage.put("total_tokens", chat.path("total_tokens").asLong(input + output));
        response.set("usage", usage);
    }

    static ObjectNode messageItem(String id, String status) {
        ObjectNode item = JSON.objectNode().put("id", id).put("type", "message").put("status", status).put("role", "assistant");
        item.putArray("content");
        return item;
    }

    static ObjectNode textPart(String text) {
        ObjectNode part = JSON.objectNode().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    static ObjectNode functionCall(String id, String callId, String name, String arguments, String status) {
        return JSON.objectNode().put("id", id).put("type", "function_call").put("status", status)
                .put("arguments", arguments).put("call_id", callId).put("name", name);
    }

    static String messageId(String requestId, int n) {
        return n == 0 ? "msg_" + requestId : "msg_" + requestId + "_" + n;
    }

    static String functionCallId(String requestId, int n) {
        return "fc_" + requestId + "_" + n;
    }

    /** The upstream's tool call id, which the caller sends back with the output; made up only when it sent none. */
    static String callId(String upstream, String requestId, int n) {
        return upstream != null && !upstream.isEmpty() ? upstream : "call_" + requestId + "_" + n;
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
