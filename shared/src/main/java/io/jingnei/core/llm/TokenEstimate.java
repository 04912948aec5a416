package io.jingnei.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.jingnei.core.call.CallEstimate;
import io.jingnei.core.request.PromptText;

import java.util.List;

/**
 * A call's tokens guessed before it runs, for its reservation: about one token per Chinese
 * character (a little less for English), counted over all the prompt's text ({@link PromptText}),
 * plus the answer's allowance ({@code max_tokens}, see {@link CallEstimate}). The actual usage
 * replaces the guess once the call has ended; a stream that ended before its usage arrived is
 * charged a guess made the same way.
 */
public final class TokenEstimate {
    static final int RAG_PASSAGES = 600;

    private TokenEstimate() {
    }

    /** A {@code /v1} chat body. */
    public static CallEstimate ofBody(JsonNode body) {
        JsonNode max = body.hasNonNull("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
        Integer maxTokens = max != null && max.canConvertToInt() && max.asInt() > 0 ? max.asInt() : null;
        String model = body.path("model").isTextual() ? body.path("model").asText() : null;
        return CallEstimate.of(model, promptOf(body), maxTokens);
    }

    /** The prompt alone: all its text, without the answer's allowance. */
    public static long promptOf(JsonNode body) {
        return PromptText.chars(body);
    }

    /** Text the model has generated so far (a stream cut before its usage arrived), by its characters. */
    public static long ofGenerated(long chars) {
        return chars;
    }

    /** Embedding inputs: the texts are the whole cost. */
    public static long ofInputs(List<String> inputs) {
        long chars = 0;
        for (String text : inputs) {
            chars += text.length();
        }
        return chars;
    }

    /** A RAG question: its text, history and system prompt, and the passages the prompt adds (about 600 tokens). */
    public static CallEstimate ofRag(String model, String query, List<ChatMessage> history, String systemPrompt) {
        return CallEstimate.of(model, chars(query, history, systemPrompt) + RAG_PASSAGES, null);
    }

    /** A chat question: its text, history and system prompt, and its {@code max_tokens}. */
    public static CallEstimate ofChat(String model, String query, List<ChatMessage> history, String systemPrompt, Integer maxTokens) {
        return CallEstimate.of(model, chars(query, history, systemPrompt), maxTokens);
    }

    private static long chars(String query, List<ChatMessage> history, String systemPrompt) {
        long chars = (query == null ? 0 : query.length()) + (systemPrompt == null ? 0 : systemPrompt.length());
        if (history != null) {
            for (ChatMessage turn : history) {
                chars += turn == null || turn.content == null ? 0 : turn.content.length();
            }
        }
        return chars;
    }
}
