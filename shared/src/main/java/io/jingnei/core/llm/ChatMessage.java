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
     * The history without a last user turn that is the question itself: some clients send the whole
     * conversation as {@code history} and its last question again as {@code query}. Kept, the LLM
     * would get the question twice, and a RAG follow-up would be read as its own context (the
     * follow-up rule would find none of its words new).
     */
    public static List<ChatMessage> withoutRepeatedQuestion(List<ChatMessage> history, String question) {
        if (history == null || history.isEmpty() || question == null) {
            return history;
        }
        ChatMessage last = history.get(history.size() - 1);
        boolean repeated = last != null && "user".equals(last.role) && last.content != null && last.content.strip().equals(question.strip());
        return repeated ? history.subList(0, history.size() - 1) : history;
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
