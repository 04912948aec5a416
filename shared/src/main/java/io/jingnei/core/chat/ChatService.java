package io.jingnei.core.chat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.llm.CallContext;
import io.jingnei.core.llm.Completions;
import io.jingnei.core.request.RequestCaps;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/** The {@code chat} and {@code chat-stream} functions: a customer-service prompt, recent history, the query. */
public final class ChatService {
    private final Completions completions;
    private final RequestCaps caps;
    private final int historyTurns;
    private final String defaultSystemPrompt;
    private final String defaultModel;

    public ChatService(Completions completions, RequestCaps caps, int historyTurns, String defaultSystemPrompt, String defaultModel) {
        this.completions = completions;
        this.caps = caps;
        this.historyTurns = historyTurns;
        this.defaultSystemPrompt = defaultSystemPrompt;
        this.defaultModel = defaultModel;
    }

    /** Never fails: every failure is a {@link ChatResult} with its status. */
    public CompletableFuture<ChatResult> chat(ChatRequest request, CallContext ctx) {
        String model = request == null || request.model == null ? defaultModel : request.model;
        CallContext call = ctx;
        try {
            call = ctx.withBodyUser(request == null ? null : request.userId);
            ObjectNode body = toBody(request);
            CallContext c = call;
            return completions.complete(body, c).handle((outcome, error) -> error == null
                    ? ChatResult.success(outcome, c.requestId)
                    : ChatResult.failure(JingneiException.from(error), model, c.requestId, c.trace.list(), c.elapsedMillis()));
        } catch (JingneiException invalid) {
            completions.rejected(call, model, invalid);
            return CompletableFuture.completedFuture(ChatResult.failure(invalid, model, call.requestId, List.of(), call.elapsedMillis()));
        }
    }

    /** Fails with {@link JingneiException} for bad input and for anything known before the first chunk. */
    public CompletableFuture<Flow.Publisher<ObjectNode>> chatStream(ChatRequest request, CallContext ctx) {
        CallContext call = ctx;
        try {
            call = ctx.withBodyUser(request == null ? null : request.userId);
            return completions.stream(toBody(request), call, true);
        } catch (JingneiException invalid) {
            completions.rejected(call, request == null ? null : request.model, invalid);
            return CompletableFuture.failedFuture(invalid);
        }
    }

    /** The OpenAI request body for a chat request. Visible for tests. */
    ObjectNode toBody(ChatRequest request) {
        ChatRequests.validate(request, caps);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (request.model != null) {
            body.put("model", request.model);
        }
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system")
                .put("content", request.systemPrompt == null || request.systemPrompt.isBlank() ? defaultSystemPrompt : request.systemPrompt);
        for (ChatMessage turn : recent(request.history)) {
            messages.addObject().put("role", turn.role).put("content", turn.content);
        }
        messages.addObject().put("role", "user").put("content", request.query);
        if (request.maxTokens != null) {
            body.put("max_tokens", request.maxTokens);
        }
        if (request.temperature != null) {
            body.put("temperature", request.temperature);
        }
        return body;
    }

    /** The last N turns, a turn being a user message and the assistant's reply. */
    private List<ChatMessage> recent(List<ChatMessage> history) {
        if (history == null) {
            return List.of();
        }
        int keep = historyTurns * 2;
        return history.size() <= keep ? history : history.subList(history.size() - keep, history.size());
    }
}
