package io.jingnei.core.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.jingnei.core.llm.ErrorKind;
import io.jingnei.core.llm.LlmException;

import java.io.IOException;
import java.util.stream.Collectors;

/** Reads and checks chat requests, with messages that say exactly what is wrong. */
public final class ChatRequests {
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ChatRequests() {
    }

    /** Binds a raw body; every way it can be wrong is an {@code invalid_request}. */
    public static ChatRequest parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw invalid("request body is empty; send JSON like {\"query\": \"...\"}");
        }
        try {
            ChatRequest request = JSON.readValue(body, ChatRequest.class);
            if (request == null) {
                throw invalid("request body must be a JSON object");
            }
            return request;
        } catch (MismatchedInputException e) {
            String field = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            throw invalid(field.isEmpty() ? "request body must be a JSON object"
                    : "field '" + field + "' has the wrong type" + expected(field));
        } catch (JsonProcessingException e) {
            throw invalid("request body is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw invalid("request body cannot be read");
        }
    }

    public static void validate(ChatRequest request, ChatLimits limits) {
        if (request == null) {
            throw invalid("request body is empty; send JSON like {\"query\": \"...\"}");
        }
        if (request.query == null || request.query.isBlank()) {
            throw invalid("field 'query' is required and must not be empty");
        }
        if (request.query.length() > limits.maxQueryChars) {
            throw new LlmException(ErrorKind.PAYLOAD_TOO_LARGE, "field 'query' has " + request.query.length()
                    + " characters; the limit is " + limits.maxQueryChars);
        }
        if (request.history != null) {
            long chars = 0;
            for (int i = 0; i < request.history.size(); i++) {
                ChatMessage turn = request.history.get(i);
                if (turn == null || turn.content == null
                        || !("user".equals(turn.role) || "assistant".equals(turn.role))) {
                    throw invalid("history[" + i + "] must be {\"role\": \"user\" or \"assistant\", \"content\": \"...\"}");
                }
                chars += turn.content.length();
            }
            if (chars > limits.maxHistoryChars) {
                throw new LlmException(ErrorKind.PAYLOAD_TOO_LARGE, "field 'history' has " + chars
                        + " characters; the limit is " + limits.maxHistoryChars);
            }
        }
        if (request.maxTokens != null && (request.maxTokens < 1 || request.maxTokens > 32_768)) {
            throw invalid("field 'max_tokens' must be between 1 and 32768");
        }
        if (request.temperature != null && (request.temperature < 0 || request.temperature > 2)) {
            throw invalid("field 'temperature' must be between 0 and 2");
        }
        if (request.systemPrompt != null && request.systemPrompt.length() > limits.maxQueryChars) {
            throw new LlmException(ErrorKind.PAYLOAD_TOO_LARGE, "field 'system_prompt' is longer than " + limits.maxQueryChars + " characters");
        }
    }

    private static String expected(String field) {
        if (field.equals("history")) {
            return ": expected an array of {\"role\", \"content\"}";
        }
        if (field.startsWith("history[")) {
            return ": expected {\"role\": \"user\" or \"assistant\", \"content\": \"...\"}";
        }
        if (field.equals("max_tokens")) {
            return ": expected a whole number";
        }
        if (field.equals("temperature")) {
            return ": expected a number";
        }
        return ": expected a string";
    }

    private static LlmException invalid(String message) {
        return new LlmException(ErrorKind.INVALID_REQUEST, message);
    }
}
