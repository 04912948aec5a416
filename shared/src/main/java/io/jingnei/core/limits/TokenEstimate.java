package io.jingnei.core.limits;

import com.fasterxml.jackson.databind.JsonNode;
import io.jingnei.core.chat.ChatMessage;

import java.util.List;

/**
 * A call's tokens guessed before it runs, for the tokens-per-minute check: about one token per
 * Chinese character (a little less for English), plus the answer's allowance ({@code max_tokens},
 * else 256). The actual usage replaces the guess once the call has ended; a stream that ended
 * before its usage arrived is charged a guess made the same way.
 */
public final class TokenEstimate {
    static final int DEFAULT_ANSWER = 256;
    static final int RAG_PASSAGES = 600;

    private TokenEstimate() {
    }

    public static long ofBody(JsonNode body) {
        long answer = body.path("max_tokens").asLong(body.path("max_completion_tokens").asLong(DEFAULT_ANSWER));
        return promptOf(body) + answer;
    }

    /** The prompt alone: the messages' text, without the answer's allowance. */
    public static long promptOf(JsonNode body) {
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
        return chars;
    }

    /** Text the model has generated so far (a stream cut before its usage arrived), by its characters. */
    public static long ofGenerated(long chars) {
        return chars;
    }

    /** Embedding inputs: no answer allowance, the texts are the whole cost. */
    public static long ofInputs(List<String> inputs) {
        long chars = 0;
        for (String text : inputs) {
            chars += text.length();
        }
        return chars;
    }

    /** A RAG question: its text and history, the passages the prompt adds (about 600 tokens) and the answer. */
    public static long ofRag(String query, List<ChatMessage> history) {
        return of(query, history, null) + RAG_PASSAGES;
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
