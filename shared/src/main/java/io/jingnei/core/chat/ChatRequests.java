package io.jingnei.core.chat;

import io.jingnei.core.llm.ErrorKind;
import io.jingnei.core.llm.LlmException;
import io.jingnei.core.request.RequestBodies;

/** Reads and checks chat requests, with messages that say exactly what is wrong. */
public final class ChatRequests {
    private ChatRequests() {
    }

    /** Binds a raw body; every way it can be wrong is an {@code invalid_request}. */
    public static ChatRequest parse(byte[] body) {
        return RequestBodies.read(body, ChatRequest.class);
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

    private static LlmException invalid(String message) {
        return new LlmException(ErrorKind.INVALID_REQUEST, message);
    }
}
