package io.jingnei.core.limits;

import com.fasterxml.jackson.databind.JsonNode;
import io.jingnei.core.chat.ChatMessage;

import java.util.List;

/**
 * A call's tokens guessed before it runs, for the tokens-per-minute check: about one token per
 * Chinese character (a little less for English), plus the answer's allowance ({@code max_tokens},
 * else 256). The actual usage replaces the guess once the call has ended.
 */
public final class TokenEstimate {
    static final int DEFAULT_ANSWER = 256;

    private TokenEstimate() {
    }

    public static long ofBody(JsonNode body) {
        long chars = 0;
        for (JsonNode message : body.path("messages")) {
            JsonNode content = message.path("content");
            if (content.isTextual()) {
                chars += content.asText().length();
            } else {
                for (JsonNode part : content) {
                    chars += part.path("text").asText("").length();
                }
            }
        }
        long answer = body.path("max_tokens").asLong(body.path("max_completion_tokens").asLong(DEFAULT_ANSWER));
        return chars + answer;
    }

    /** Embedding inputs: no answer allowance, the texts are the whole cost. */
    public static long ofInputs(List<String> inputs) {
        long chars = 0;
        for (String text : inputs) {
            chars += text.length();
        }
        return chars;
    }

    public static long of(String query, List<ChatMessage> history, Integer maxTokens) {
        long chars = query == null ? 0 : query.length();
        if (history != null) {
            for (ChatMessage turn : history) {
                chars += turn == null || turn.content == null ? 0 : turn.content.length();
            }
        }
        return chars + (maxTokens == null ? DEFAULT_ANSWER : maxTokens);
    }
}
