package io.jingnei.core.llm;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One earlier turn of the conversation: role {@code user} or {@code assistant}. */
public final class ChatMessage {
    public final String role;
    public final String content;

    @JsonCreator
    public ChatMessage(@JsonProperty("role") String role, @JsonProperty("content") String content) {
        this.role = role;
        this.content = content;
    }
}
