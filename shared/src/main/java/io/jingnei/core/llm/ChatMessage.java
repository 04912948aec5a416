package io.jingnei.core.llm;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** One earlier turn of the conversation: role {@code user} or {@code assistant}. */
public final class ChatMessage {
    public final String role;
    public final String content;

    @JsonCreator
    public ChatMessage(@JsonProperty("role") String role, @JsonProperty("content") String content) {
        this.role = role;
        this.content = content;
    }

    /**
     * The last {@code turns} turns of a history (a turn: a user message and the assistant's reply),
     * as {@code JINGNEI_HISTORY_TURNS} bounds every prompt; empty for none.
     */
    public static List<ChatMessage> recent(List<ChatMessage> history, int turns) {
        if (history == null) {
            return List.of();
        }
        int keep = turns * 2;
        return history.size() <= keep ? history : history.subList(history.size() - keep, history.size());
    }
}
