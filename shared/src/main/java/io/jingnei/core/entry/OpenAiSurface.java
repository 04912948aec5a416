package io.jingnei.core.entry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.cache.AnswerCache;
import io.jingnei.core.cache.StreamKeeper;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.auth.UserIds;
import io.jingnei.core.config.Env;
import io.jingnei.core.config.Settings;
import io.jingnei.core.embed.Embedder;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.call.CallEstimate;
import io.jingnei.core.limits.EmbeddingQueue;
import io.jingnei.core.pricing.Cost;
import io.jingnei.core.pricing.Usage;
import io.jingnei.core.llm.TokenEstimate;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.llm.CallerRetries;
import io.jingnei.core.stream.ObservedPublisher;
import io.jingnei.core.stream.ReplayPublisher;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * The OpenAI-compatible surface as core calls: chat completions (streamed or not), embeddings and
 * the model list. The caller is already authenticated; here the body is checked against the caps,
 * accounted to the caller's user (a body's {@code user} only adds a sub-label), and sent through
 * the same path as every other LLM call.
 */
public final class OpenAiSurface {
    /** The {@code system_fingerprint} of answers from our cache: says where they came from. */
    static final String CACHE_FINGERPRINT = "fp_jingnei_cache";
    private final JingneiInstance instance;
    private final int maxEmbeddingInputs;
    private final CallerRetries callerRetries;
    private final EmbeddingQueue localEmbeddings;

    public OpenAiSurface(JingneiInstance instance, Env env) {
        this.instance = instance;
        this.callerRetries = new CallerRetries(4096, java.time.Duration.ofMinutes(10), instance.time);
        this.maxEmbeddingInputs = Settings.integer(env, "JINGNEI_MAX_EMBEDDING_INPUTS", 64, 1, 2048);
        this.localEmbeddings = EmbeddingQueue.from(env);
    }

    /** Checks and prepares a chat-completions body; the context it is accounted under. */
    public CallContext prepare(Caller caller, ObjectNode body, String requestId) {
        return prepare(new CallContext(requestId, "chat-completions", caller), body);
    }

    /** The same checks for a chat body another surface made (the Responses API), under its own function name. */
    public CallContext prepare(CallContext ctx, ObjectNode body) {
        try {
            String model = body.path("model").isTextual() ? body.path("model").asText() : instance.config.defaultModel;
            instance.caps.openAiChat(body, instance.completions().catalog().outputLimit(model));
            return ctx.withBodyUser(body.path("user").isTextual() ? body.path("user").asText() : null);
        } catch (JingneiException e) {
            instance.completions().rejected(ctx, body.path("model").asText(null), e);
            throw e;
        }
    }

    /**
     * Marks the call as the caller's own retry when its headers say so, so we retry less ourselves.
     * @param retryCount {@code x-stainless-retry-count}, or null
     * @param callerRequestId the caller's {@code x-request-id}, or null
     */
    public void noteCallerRetry(CallContext ctx, String retryCount, String callerRequestId) {
        ctx.trace.callerRetrying(callerRetries.isRetry(retryCount, callerRequestId, ctx.caller.limitKey()));
    }

    /** A whole answer, as the upstream's response object (from the cache when JINGNEI_CACHE_V1 allows). */
    public CompletableFuture<ObjectNode> complete(ObjectNode body, CallContext ctx) {
        Optional<AnswerCache.Key> key;
        try {
            key = cacheKey(body, ctx);
        } catch (JingneiException refused) {
            instance.completions().rejected(ctx, body.path("model").asText(null), refused);
            return CompletableFuture.failedFuture(refused);
        }
        return instance.quotas.releasingWhenDone(ctx, admit(ctx, body).thenCompose(ok -> lookup(key)).thenCompose(hit -> {
            if (hit.isPresent()) {
                return CompletableFuture.completedFuture(cachedResponse(hit.get(), ctx));
            }
            return instance.completions().complete(body, ctx).thenApply(outcome -> {
                key.ifPresent(k -> instance.cache.store(k, JsonNodeFactory.instance.objectNode().put("content", outcome.content())
                        .put("model", outcome.model), null, "content"));
                return outcome.response;
            });
        }));
    }

    /**
     * A streamed answer; a cache hit ends with the usage chunk only when the caller asked for usage,
     * as a fresh stream does. A fresh one is kept once it has ended well, where a whole answer would be.
     */
    public CompletableFuture<Flow.Publisher<ObjectNode>> stream(ObjectNode body, CallContext ctx) {
        Optional<AnswerCache.Key> key;
        try {
            key = cacheKey(body, ctx);
        } catch (JingneiException refused) {
            instance.completions().rejected(ctx, body.path("model").asText(null), refused);
            return CompletableFuture.failedFuture(refused);
        }
        boolean wantsUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        return instance.quotas.releasingAtEnd(ctx, admit(ctx, body).thenCompose(ok -> lookup(key)).thenCompose(hit -> {
            if (hit.isPresent()) {
                logHit(hit.get(), ctx);
                return CompletableFuture.completedFuture(ReplayPublisher.of(hit.get().text("content"),
                        hit.get().answer().path("model").asText(), ctx.requestId, wantsUsage));
            }
            return instance.completions().stream(body, ctx, false).thenApply(chunks -> key.isEmpty() ? chunks
                    : new ObservedPublisher<>(chunks, new StreamKeeper(instance.cache, key.get(), null, body.path("model").asText())));
        }));
    }

    /**
     * {@code /v1} answers are cached only with JINGNEI_CACHE_V1=true (temperature > 0 answers may be
     * meant to differ), and never for tool calls or several choices.
     */
    private Optional<AnswerCache.Key> cacheKey(ObjectNode body, CallContext ctx) {
        if (!instance.cache.coversV1() || body.has("tools") || body.has("functions") || body.path("n").asInt(1) > 1) {
            return Optional.empty();
        }
        ObjectNode params = body.deepCopy();
        params.remove(java.util.List.of("messages", "user", "stream", "stream_options"));
        return instance.cache.key(body.path("messages").toString(), "v1|" + params, ctx.caller);
    }

    private CompletableFuture<Optional<AnswerCache.Hit>> lookup(Optional<AnswerCache.Key> key) {
        return key.isPresent() ? instance.cache.exact(key.get()) : CompletableFuture.completedFuture(Optional.empty());
    }

    private ObjectNode cachedResponse(AnswerCache.Hit hit, CallContext ctx) {
        // Every field the spec requires (refusal and logprobs are required, nullable): strict clients
        // validate, and a cached answer must read like a fresh one.
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("id", "chatcmpl-" + ctx.requestId).put("object", "chat.completion")
                .put("created", instance.time.currentTimeMillis() / 1000).put("model", hit.answer().path("model").asText())
                .put("system_fingerprint", CACHE_FINGERPRINT);
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", hit.text("content")).putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        out.putObject("usage").put("prompt_tokens", 0).put("completion_tokens", 0).put("total_tokens", 0);
        logHit(hit, ctx);
        return out;
    }

    private void logHit(AnswerCache.Hit hit, CallContext ctx) {
        instance.log.write(new io.jingnei.core.log.CallRecord(ctx.requestId, ctx.function, hit.answer().path("model").asText(),
                ctx.userId, "success").put("cache", hit.how).put("cost_usd", 0).put("cost_cny", 0).put("latency_ms", ctx.elapsedMillis()));
    }

    /** {@code GET /v1/usage}: the caller's own spend and what is left; an admin may ask for another user. */
    public CompletableFuture<ObjectNode> usage(Caller caller, String forUser) {
        if (forUser != null && !forUser.isBlank()) {
            if (!caller.admin()) {
                return CompletableFuture.failedFuture(new JingneiException(ErrorKind.FORBIDDEN,
                        "only an admin key (JINGNEI_ADMIN_KEYS) may ask for another user's usage"));
            }
            return instance.quotas.usage(UserIds.require(forUser.trim()));
        }
        return instance.quotas.usage(caller.limitKey());
    }

    private CompletableFuture<Void> admit(CallContext ctx, ObjectNode body) {
        return admit(ctx, body.path("model").asText(null), TokenEstimate.ofBody(body));
    }

    private CompletableFuture<Void> admit(CallContext ctx, String model, CallEstimate estimate) {
        return instance.quotas.admit(ctx, estimate).whenComplete((ok, error) -> {
            if (error != null) {
                instance.completions().rejected(ctx, model, JingneiException.from(error));
            }
        });
    }

    public CompletableFuture<ObjectNode> models() {
        return instance.completions().catalog().list();
    }

    /** One model, or {@code model_not_found} (404). */
    public CompletableFuture<ObjectNode> model(String id) {
        return instance.completions().catalog().find(id).thenApply(found -> found.orElseThrow(() ->
                new JingneiException(ErrorKind.MODEL_NOT_FOUND, "model '" + id + "' is not available; GET /v1/models lists them")));
    }

    /**
     * {@code POST /v1/embeddings}: answered in-process by the local model (the text never leaves the
     * instance) unless JINGNEI_EMBEDDER=remote, then proxied upstream.
     */
    public CompletableFuture<ObjectNode> embeddings(Caller caller, ObjectNode body, String requestId) {
        CallContext ctx = new CallContext(requestId, "embeddings", caller);
        List<String> inputs;
        try {
            inputs = EmbeddingsBody.inputs(body.get("input"), maxEmbeddingInputs, instance.caps);
            String format = body.path("encoding_format").asText("float");
            if (!format.equals("float") && !format.equals("base64")) {
                throw new JingneiException(ErrorKind.INVALID_REQUEST, "'encoding_format' must be 'float' or 'base64'");
            }
        } catch (JingneiException e) {
            instance.completions().rejected(ctx, body.path("model").asText(null), e);
            return CompletableFuture.failedFuture(e);
        }
        // Counted like any call, against tokens per minute too: local embeddings cost the instance's
        // CPU, remote ones the operator's budget.
        long tokens = TokenEstimate.ofInputs(inputs);
        boolean remote = instance.ragConfig.remoteEmbeddings;
        String model = remote ? (body.path("model").isTextual() ? body.path("model").asText() : instance.ragConfig.embeddingModel) : null;
        CallEstimate estimate = remote ? CallEstimate.inputOnly(model, tokens) : CallEstimate.local(tokens);
        return instance.quotas.releasingWhenDone(ctx, admit(ctx, body.path("model").asText(null), estimate)
                .thenCompose(ok -> embed(body, inputs, model))
                .thenApply(response -> {
                    Usage usage = Usage.fromJson(response.get("usage"));
                    Usage used = usage != null ? usage : new Usage(tokens, 0, 0);
                    instance.quotas.charge(ctx, used, remote ? instance.completions().prices().cost(model, used) : Cost.ZERO);
                    return response;
                }));
    }

    private CompletableFuture<ObjectNode> embed(ObjectNode body, List<String> inputs, String remoteModel) {
        if (remoteModel != null) {
            ObjectNode upstream = body.deepCopy();
            upstream.put("model", remoteModel);
            ArrayNode masked = upstream.putArray("input");
            inputs.forEach(text -> masked.add(instance.completions().pii().maskAlone(text)));
            return instance.llm().embeddings(upstream);
        }
        boolean base64 = body.path("encoding_format").asText("float").equals("base64");
        // The dimensions are checked before the batch queues: a refusal never waits for a turn.
        return instance.rag().thenCompose(rag -> {
            Embedder embedder = EmbeddingsBody.servedDimensions(rag.embedder(), body);
            return localEmbeddings.run(() -> EmbeddingList.of(embedder, inputs, base64));
        });
    }
}
