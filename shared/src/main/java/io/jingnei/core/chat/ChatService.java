package io.jingnei.core.chat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.cache.AnswerCache;
import io.jingnei.core.cache.StreamKeeper;
import io.jingnei.core.embed.Embedder;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.llm.ChatMessage;
import io.jingnei.core.llm.Completions;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.log.CallRecord;
import io.jingnei.core.request.RequestCaps;
import io.jingnei.core.stream.ObservedPublisher;
import io.jingnei.core.stream.ReplayPublisher;
import io.jingnei.core.util.Hashing;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.function.Supplier;

/**
 * The {@code chat} and {@code chat-stream} functions: a customer-service prompt, recent history,
 * the query. A question without history may be answered from the answer cache (exactly, or, in
 * semantic mode with the local model loaded, by a similar question); a stream from the cache is
 * replayed as a stream.
 */
public final class ChatService {
    private final Completions completions;
    private final RequestCaps caps;
    private final int historyTurns;
    private final String defaultSystemPrompt;
    private final String defaultModel;
    private final AnswerCache cache;
    private final Supplier<Optional<Embedder>> embedder;
    private final Executor cpu;
    private final CallLog log;

    public ChatService(Completions completions, RequestCaps caps, int historyTurns, String defaultSystemPrompt, String defaultModel,
                       AnswerCache cache, Supplier<Optional<Embedder>> embedder, Executor cpu, CallLog log) {
        this.completions = completions;
        this.caps = caps;
        this.historyTurns = historyTurns;
        this.defaultSystemPrompt = defaultSystemPrompt;
        this.defaultModel = defaultModel;
        this.cache = cache;
        this.embedder = embedder;
        this.cpu = cpu;
        this.log = log;
    }

    /** Never fails: every failure is a {@link ChatResult} with its status. */
    public CompletableFuture<ChatResult> chat(ChatRequest request, CallContext ctx) {
        String model = request == null || request.model == null ? defaultModel : request.model;
        CallContext call = ctx;
        ObjectNode body;
        Optional<AnswerCache.Key> key;
        try {
            call = ctx.withBodyUser(request == null ? null : request.userId);
            body = toBody(request);
            key = cacheKey(request, model, ctx.caller);
        } catch (JingneiException invalid) {
            completions.rejected(call, model, invalid);
            return CompletableFuture.completedFuture(ChatResult.failure(invalid, model, call.requestId, List.of(), call.elapsedMillis()));
        }
        CallContext c = call;
        return lookup(key, request).thenCompose(hit -> {
            if (hit.cached != null) {
                return CompletableFuture.completedFuture(fromCache(hit.cached, c));
            }
            return completions.complete(body, c).handle((outcome, error) -> {
                if (error != null) {
                    return ChatResult.failure(JingneiException.from(error), model, c.requestId, c.trace.list(), c.elapsedMillis());
                }
                key.ifPresent(k -> cache.store(k, JsonNodeFactory.instance.objectNode().put("content", outcome.content())
                        .put("model", outcome.model), hit.vector, "content"));
                return ChatResult.success(outcome, c.requestId);
            });
        });
    }

    /** Fails with {@link JingneiException} for bad input and for anything known before the first chunk. */
    public CompletableFuture<Flow.Publisher<ObjectNode>> chatStream(ChatRequest request, CallContext ctx) {
        String model = request == null || request.model == null ? defaultModel : request.model;
        CallContext call = ctx;
        ObjectNode body;
        Optional<AnswerCache.Key> key;
        try {
            call = ctx.withBodyUser(request == null ? null : request.userId);
            body = toBody(request);
            key = cacheKey(request, model, ctx.caller);
        } catch (JingneiException invalid) {
            completions.rejected(call, request == null ? null : request.model, invalid);
            return CompletableFuture.failedFuture(invalid);
        }
        CallContext c = call;
        return lookup(key, request).thenCompose(hit -> {
            if (hit.cached != null) {
                ChatResult cached = fromCache(hit.cached, c);
                return CompletableFuture.completedFuture(ReplayPublisher.of(cached.content, cached.model, c.requestId));
            }
            return completions.stream(body, c, true).thenApply(publisher -> key.isEmpty() ? publisher
                    : new ObservedPublisher<>(publisher, new StreamKeeper(cache, key.get(), hit.vector, model)));
        });
    }

    /** A cache hit or, on a miss, the question's vector (semantic mode) to store the answer under. */
    private static final class Lookup {
        final AnswerCache.Hit cached;
        final float[] vector;

        Lookup(AnswerCache.Hit cached, float[] vector) {
            this.cached = cached;
            this.vector = vector;
        }
    }

    private CompletableFuture<Lookup> lookup(Optional<AnswerCache.Key> key, ChatRequest request) {
        if (key.isEmpty()) {
            return CompletableFuture.completedFuture(new Lookup(null, null));
        }
        return cache.exact(key.get()).thenCompose(exact -> {
            if (exact.isPresent()) {
                return CompletableFuture.completedFuture(new Lookup(exact.get(), null));
            }
            Optional<Embedder> model = cache.semantic() ? embedder.get() : Optional.empty();
            if (model.isEmpty()) {
                return CompletableFuture.completedFuture(new Lookup(null, null));
            }
            return CompletableFuture.supplyAsync(() -> model.get().embed(List.of(request.query)).get(0), cpu)
                    .thenCompose(vector -> cache.similar(key.get(), vector).thenApply(similar -> new Lookup(similar.orElse(null), vector)))
                    .exceptionally(embeddingFailed -> new Lookup(null, null));
        });
    }

    /** Only questions without history are cached: a conversation changes what the answer should be. */
    private Optional<AnswerCache.Key> cacheKey(ChatRequest request, String model, Caller caller) {
        if (!cache.enabled() || (request.history != null && !request.history.isEmpty())) {
            return Optional.empty();
        }
        String prompt = request.systemPrompt == null || request.systemPrompt.isBlank() ? defaultSystemPrompt : request.systemPrompt;
        return cache.key(request.query, "chat|" + model + "|" + Hashing.sha256Hex(prompt) + "|" + request.maxTokens
                + "|" + request.temperature, caller);
    }

    private ChatResult fromCache(AnswerCache.Hit hit, CallContext call) {
        String model = hit.answer().path("model").asText(defaultModel);
        log.write(new CallRecord(call.requestId, call.function, model, call.userId, "success").put("cache", hit.how)
                .put("cost_usd", 0).put("cost_cny", 0).put("latency_ms", call.elapsedMillis()));
        return ChatResult.cached(hit.text("content"), model, call.requestId, call.elapsedMillis());
    }

    /** The OpenAI request body for a chat request. Visible for tests. */
    ObjectNode toBody(ChatRequest request) {
        ChatRequests.validate(request, caps,
                completions.catalog().outputLimit(request == null || request.model == null ? defaultModel : request.model));
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

    private List<ChatMessage> recent(List<ChatMessage> history) {
        return ChatMessage.recent(history, historyTurns);
    }

}
