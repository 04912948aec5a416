package io.jingnei.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The upstream's model list, fetched once and kept for a TTL. Concurrent callers share one fetch.
 * A failed fetch is not kept, so the next call tries again; while the list is unknown, model
 * names are not checked here and the upstream's own answer decides.
 */
public final class ModelCatalog {
    private final LlmClient llm;
    private final Duration ttl;
    private final TimeSource time;
    private CompletableFuture<ObjectNode> current;
    private CompletableFuture<Optional<Set<String>>> currentIds;
    private long fetchedAtNanos;

    public ModelCatalog(LlmClient llm, Duration ttl, TimeSource time) {
        this.llm = llm;
        this.ttl = ttl;
        this.time = time;
    }

    /** The OpenAI list object, from cache when fresh. */
    public synchronized CompletableFuture<ObjectNode> list() {
        boolean stale = current == null
                || current.isCompletedExceptionally()
                || (current.isDone() && time.nanoTime() - fetchedAtNanos > ttl.toNanos());
        if (stale) {
            fetchedAtNanos = time.nanoTime();
            current = llm.listModels();
            // Built once per fetch: every call checks its model against it.
            currentIds = current.handle((list, error) -> {
                if (error != null) {
                    return Optional.empty();
                }
                Set<String> ids = new LinkedHashSet<>();
                for (JsonNode model : list.path("data")) {
                    ids.add(model.path("id").asText());
                }
                return ids.isEmpty() ? Optional.<Set<String>>empty() : Optional.of(ids);
            });
        }
        return current;
    }

    /** Model ids, or empty when the upstream's list cannot be had right now. */
    public synchronized CompletableFuture<Optional<Set<String>>> ids() {
        list();
        return currentIds;
    }

    public CompletableFuture<Void> requireKnown(String model) {
        return ids().thenAccept(ids -> {
            if (ids.isPresent() && !ids.get().contains(model)) {
                throw unknown(model, ids.get());
            }
        });
    }

    /** An upstream "model not found", restated with the valid names when we know them. */
    public CompletableFuture<LlmException> explain(String model, LlmException upstream) {
        return ids().thenApply(ids -> ids.map(known -> unknown(model, known)).orElse(upstream));
    }

    private static LlmException unknown(String model, Set<String> known) {
        return new LlmException(ErrorKind.MODEL_NOT_FOUND,
                "model '" + model + "' is not available; valid models: " + String.join(", ", known));
    }
}
