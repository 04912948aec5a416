package io.jingnei.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.call.CallTrace;
import io.jingnei.core.stream.QueueSubscription;
import io.jingnei.core.util.TimeSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * {@link LlmClient} over every configured upstream: each call goes through {@link Failover}, which
 * picks the upstream and key, fails over, backs off and falls back. Bodies name our model; each
 * attempt sends the upstream's own name for it ({@code model_map}), and answers are given back
 * under our name, so prices, logs and clients see one name per model.
 */
public final class Router implements LlmClient {
    private final Failover failover;
    private final UpstreamEndpoint endpoint;
    private final Duration listTimeout;
    private final TimeSource time;

    Router(Failover failover, UpstreamEndpoint endpoint, Duration listTimeout, TimeSource time) {
        this.failover = failover;
        this.endpoint = endpoint;
        this.listTimeout = listTimeout;
        this.time = time;
    }

    public List<Upstream> upstreams() {
        return failover.upstreams();
    }

    public Fallbacks fallbacks() {
        return failover.fallbacks();
    }

    @Override
    public CompletableFuture<ObjectNode> complete(ObjectNode body, CallTrace trace) {
        String model = body.path("model").asText();
        BodyBytes bytes = new BodyBytes(body);
        return failover.run(model, trace, (upstream, key, ourModel, upstreamModel, timeout) ->
                named(endpoint.post(upstream, key, "/chat/completions", bytes.forModel(upstreamModel), timeout, trace), ourModel));
    }

    /**
     * The answer under our model name. Cancelling it cancels the exchange too: a plain thenApply would
     * leave the upstream call running (and its pooled connection leased) after its caller went away.
     */
    private static CompletableFuture<ObjectNode> named(CompletableFuture<ObjectNode> exchange, String ourModel) {
        CompletableFuture<ObjectNode> named = exchange.thenApply(answer -> answer.put("model", ourModel));
        named.whenComplete((v, e) -> {
            if (named.isCancelled()) {
                exchange.cancel(true);
            }
        });
        return named;
    }

    @Override
    public Flow.Publisher<ObjectNode> stream(ObjectNode body, CallTrace trace) {
        return new UpstreamStream(failover, endpoint, new BodyBytes(body), body.path("model").asText(), trace);
    }

    @Override
    public CompletableFuture<ObjectNode> embeddings(ObjectNode body) {
        String model = body.path("model").asText();
        BodyBytes bytes = new BodyBytes(body);
        CallTrace trace = new CallTrace();
        return failover.run(model, trace, (upstream, key, ourModel, upstreamModel, timeout) ->
                named(endpoint.post(upstream, key, "/embeddings", bytes.forModel(upstreamModel), timeout, trace), ourModel));
    }

    /** The model list of one upstream that serves any model ({@code "*"}): asked of the upstream itself. */
    @Override
    public CompletableFuture<ObjectNode> listModels(Upstream upstream) {
        UpstreamKey key = upstream.hasKeys() ? upstream.nextKey(Long.MAX_VALUE) : null;
        if (!upstream.hasKeys()) {
            return CompletableFuture.failedFuture(new UpstreamException(io.jingnei.core.error.ErrorKind.AUTH_ERROR,
                    "JINGNEI_LLM_API_KEY is not set (HOLYSHEEP_API_KEY is also accepted)", false, null, 0, null));
        }
        return endpoint.get(upstream, key, "/models", listTimeout);
    }

    /**
     * The Batch API of the upstream that serves {@code model} (healthy ones first, as a call would
     * choose), with the key a call would use now. Fails with {@code model_not_found} or
     * {@code auth_error} as a call would.
     */
    public BatchEndpoint batches(String model) {
        long now = time.nanoTime();
        Upstream chosen = null;
        for (Upstream upstream : upstreams()) {
            if (upstream.serves(model) && upstream.hasKeys() && (chosen == null || (!chosen.breaker.healthy() && upstream.breaker.healthy()))) {
                chosen = upstream;
            }
        }
        if (chosen == null) {
            throw new UpstreamException(io.jingnei.core.error.ErrorKind.MODEL_NOT_FOUND,
                    "no upstream with a key serves model '" + model + "' for a provider batch", false, null, 0, null);
        }
        UpstreamKey key = chosen.nextKey(now);
        return new BatchEndpoint(endpoint, chosen, key == null ? chosen.keys.get(0) : key, listTimeout);
    }

    /** The Batch API of a named upstream and key number, to follow a batch created earlier (another instance, another day). */
    public BatchEndpoint batches(String upstreamName, int keyNumber) {
        for (Upstream upstream : upstreams()) {
            if (upstream.name.equals(upstreamName) && keyNumber >= 1 && keyNumber <= upstream.keys.size()) {
                return new BatchEndpoint(endpoint, upstream, upstream.keys.get(keyNumber - 1), listTimeout);
            }
        }
        throw new UpstreamException(io.jingnei.core.error.ErrorKind.INVALID_REQUEST, "the batch was created on upstream '" + upstreamName
                + "' key #" + keyNumber + ", which this deployment no longer has (JINGNEI_UPSTREAMS)", false, null, 0, null);
    }

    /** Serialises a body once per distinct upstream model name; most calls need exactly one. */
    static final class BodyBytes {
        private final ObjectNode body;
        private final String model;
        private volatile byte[] asIs;

        BodyBytes(ObjectNode body) {
            this.body = body;
            JsonNode m = body.get("model");
            this.model = m == null ? null : m.asText();
        }

        byte[] forModel(String upstreamModel) {
            if (upstreamModel.equals(model)) {
                byte[] cached = asIs;
                if (cached == null) {
                    cached = UpstreamEndpoint.toBytes(body);
                    asIs = cached;
                }
                return cached;
            }
            ObjectNode copy = body.deepCopy();
            copy.put("model", upstreamModel);
            return UpstreamEndpoint.toBytes(copy);
        }
    }

    /** A publisher that fails at once, for calls that cannot start. */
    static Flow.Publisher<ObjectNode> failed(Throwable error) {
        return subscriber -> new QueueSubscription<ObjectNode>(subscriber, () -> { }).fail(error);
    }

    static ObjectNode emptyObject() {
        return JsonNodeFactory.instance.objectNode();
    }
}
