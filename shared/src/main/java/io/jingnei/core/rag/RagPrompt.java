package io.jingnei.core.rag;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.llm.ChatMessage;
import io.jingnei.core.util.Hashing;

import java.util.List;

/**
 * The chat request RAG sends for what was retrieved, and how the model says the references do not
 * answer: {@link #NO_ANSWER_MARKER} at the start or end of its answer.
 */
public final class RagPrompt {
    public static final String DEFAULT_SYSTEM_PROMPT = "你是一名专业的客服助手。请只根据下面提供的参考资料回答用户的问题，"
            + "不要编造参考资料中没有的信息；如果参考资料不足以回答，请回答“" + RagResult.NO_CONTEXT_ANSWER + "”"
            + "回答要简洁、准确，不超过200字。";
    /** What the model answers when the references do not answer the question: becomes {@code no_context}. */
    public static final String NO_ANSWER_MARKER = "[NO_ANSWER]";
    /** Changes whenever the prompt shape changes: part of every cache key. */
    static final String VERSION = Hashing.sha256Hex(DEFAULT_SYSTEM_PROMPT + "|refs-v3").substring(0, 12);

    /** JINGNEI_HISTORY_TURNS, as for /chat: the last turns of a conversation kept. */
    private final int historyTurns;

    RagPrompt(int historyTurns) {
        this.historyTurns = historyTurns;
    }

    /**
     * Whether the model answered with the marker: the answer starts or ends with it (a model may add
     * a word or a full stop). Merely containing it is not enough: an answer that quotes the prompt
     * (an echoing test upstream does) would then be turned away.
     */
    public static boolean declined(String content) {
        if (content == null) {
            return false;
        }
        String answer = content.strip().replaceAll("[。.！!]+$", "");
        return answer.startsWith(NO_ANSWER_MARKER) || answer.endsWith(NO_ANSWER_MARKER);
    }

    /**
     * Whether the start of a streamed answer may still be the marker (or is it): until it is not, the
     * chunks are held back, so a client never sees "[NO_ANSWER]" and a real answer is held only for
     * its first chunk or two (an answer rarely starts with "[").
     */
    public static boolean mayBeDeclining(String soFar) {
        String text = soFar.strip();
        return text.isEmpty() || NO_ANSWER_MARKER.startsWith(text) || text.startsWith(NO_ANSWER_MARKER);
    }

    /**
     * The reference design's prompt shape: numbered references, then the question; recent turns
     * before it. {@code marker}: the model may answer {@link #NO_ANSWER_MARKER} when the references
     * do not answer the question (asked in the last message, so it holds under a caller's own
     * system prompt). A stream is passed through as it comes, so it keeps the first round's
     * instruction (the default system prompt's fixed sentence) instead.
     */
    ObjectNode body(Retrieval found) {
        boolean marker = true;
        RagRequest request = found.request;
        StringBuilder references = new StringBuilder("参考资料：\n");
        for (int i = 0; i < found.context.size(); i++) {
            references.append('[').append(i + 1).append("] ").append(found.context.get(i).text).append('\n');
        }
        references.append("\n用户问题：").append(request.query);
        if (marker) {
            references.append("\n\n如果以上参考资料不能回答这个问题，请只输出 ").append(NO_ANSWER_MARKER).append("，不要输出其他内容。");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (request.model != null) {
            body.put("model", request.model);
        }
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system")
                .put("content", request.systemPrompt == null || request.systemPrompt.isBlank() ? DEFAULT_SYSTEM_PROMPT : request.systemPrompt);
        for (ChatMessage turn : ChatMessage.recent(request.history, historyTurns)) {
            messages.addObject().put("role", turn.role).put("content", turn.content);
        }
        messages.addObject().put("role", "user").put("content", references.toString());
        body.put("temperature", 0.3);
        return body;
    }
}
