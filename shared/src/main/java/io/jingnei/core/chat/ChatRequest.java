package io.jingnei.core.chat;

import io.jingnei.core.llm.ChatMessage;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** The body of {@code /chat} and {@code /chat-stream}. Bound by Jackson; checked by {@link ChatRequests#validate}. */
public final class ChatRequest {
    @JsonProperty("user_id")
    public final String userId;
    public final String query;
    public final List<ChatMessage> history;
    @JsonProperty("system_prompt")
    public final String systemPrompt;
    public final String model;
    @JsonProperty("max_tokens")
    public final Integer maxTokens;
    public final Double temperature;

    @JsonCreator
    public ChatRequest(@JsonProperty("user_id") String userId,
                       @JsonProperty("query") String query,
                       @JsonProperty("history") List<ChatMessage> history,
                       @JsonProperty("system_prompt") String systemPrompt,
                       @JsonProperty("model") String model,
                       @JsonProperty("max_tokens") Integer maxTokens,
                       @JsonProperty("temperature") Double temperature) {
        this.userId = userId;
        this.query = query;
        this.history = ChatMessage.withoutRepeatedQuestion(history, query);
        this.systemPrompt = systemPrompt;
        this.model = model;
        this.maxTokens = maxTokens;
        this.temperature = temperature;
    }

    public static ChatRequest ofQuery(String query) {
        return new ChatRequest(null, query, null, null, null, null, null);
    }
}
