package io.jingnei.core.rag;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.llm.ChatMessage;
import io.jingnei.core.request.RequestCaps;

import java.util.List;

/** The body of {@code /rag-query} and {@code /rag-stream}. */
public final class RagRequest {
    public final String query;
    @JsonProperty("top_k")
    public final Integer topK;
    public final Double threshold;
    public final String model;
    @JsonProperty("user_id")
    public final String userId;
    @JsonProperty("system_prompt")
    public final String systemPrompt;
    /** Earlier turns of the conversation (the chat page sends them); the last few go to the LLM. */
    public final List<ChatMessage> history;

    @JsonCreator
    public RagRequest(@JsonProperty("query") String query, @JsonProperty("top_k") Integer topK,
                      @JsonProperty("threshold") Double threshold, @JsonProperty("model") String model,
                      @JsonProperty("user_id") String userId, @JsonProperty("system_prompt") String systemPrompt,
                      @JsonProperty("history") List<ChatMessage> history) {
        this.query = query;
        this.topK = topK;
        this.threshold = threshold;
        this.model = model;
        this.userId = userId;
        this.systemPrompt = systemPrompt;
        this.history = ChatMessage.withoutRepeatedQuestion(history, query);
    }

    public static RagRequest ofQuery(String query) {
        return new RagRequest(query, null, null, null, null, null, null);
    }

    public RagRequest withThreshold(Double newThreshold) {
        return new RagRequest(query, topK, newThreshold, model, userId, systemPrompt, history);
    }

    public RagRequest withUser(String user) {
        return new RagRequest(query, topK, threshold, model, user, systemPrompt, history);
    }

    /** Fails with a clear error for what no caller may ask: over the caps, out of range, a malformed turn. */
    void validate(RequestCaps caps) {
        caps.query("query", query);
        caps.systemPrompt("system_prompt", systemPrompt);
        if (topK != null && (topK < 1 || topK > 50)) {
            throw new JingneiException(ErrorKind.INVALID_REQUEST, "field 'top_k' must be between 1 and 50");
        }
        if (threshold != null && !(threshold >= -1 && threshold <= 1)) {
            throw new JingneiException(ErrorKind.INVALID_REQUEST, "field 'threshold' is a cosine similarity between -1 and 1");
        }
        if (history != null) {
            long chars = 0;
            for (int i = 0; i < history.size(); i++) {
                ChatMessage turn = history.get(i);
                if (turn == null || turn.content == null || !("user".equals(turn.role) || "assistant".equals(turn.role))) {
                    throw new JingneiException(ErrorKind.INVALID_REQUEST,
                            "history[" + i + "] must be {\"role\": \"user\" or \"assistant\", \"content\": \"...\"}");
                }
                chars += turn.content.length();
            }
            caps.historyChars(chars);
        }
    }
}
