package io.jingnei.core.chat;

import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.llm.ChatMessage;
import io.jingnei.core.request.RequestBodies;
import io.jingnei.core.request.RequestCaps;

/** Reads and checks chat requests, with messages that say exactly what is wrong. */
public final class ChatRequests {
    private ChatRequests() {
    }

    /** Binds a raw body; every way it can be wrong is an {@code invalid_request}. */
    public static ChatRequest parse(byte[] body) {
        return RequestBodies.read(body, ChatRequest.class);
    }

    /** @param modelOutputLimit the asked model's output limit ({@code max_tokens} may go up to it) */
    public static void validate(ChatRequest request, RequestCaps caps, int modelOutputLimit) {
        if (request == null) {
            throw invalid("request body is empty; send JSON like {\"query\": \"...\"}");
        }
        caps.query("query", request.query);
        if (request.history != null) {
            long chars = 0;
            for (int i = 0; i < request.history.size(); i++) {
                ChatMessage turn = request.history.get(i);
                if (turn == null || turn.content == null
                        || !("user".equals(turn.role) || "assistant".equals(turn.role))) {
                    throw invalid("history[" + i + "] must be {\"role\": \"user\" or \"assistant\", \"content\": \"...\"}")
                            .about("history[" + i + "]");
                }
                chars += turn.content.length();
            }
            caps.historyChars(chars);
        }
        caps.maxTokens("max_tokens", request.maxTokens, modelOutputLimit);
        caps.temperature(request.temperature);
        caps.systemPrompt("system_prompt", request.systemPrompt);
    }

    private static JingneiException invalid(String message) {
        return new JingneiException(ErrorKind.INVALID_REQUEST, message);
    }
}
