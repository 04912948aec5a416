package io.jingnei.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.util.TimeSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The models every upstream serves, as one OpenAI list. Upstreams that name their models are
 * listed as configured; an upstream that serves anything ({@code "*"}) is asked for its list, which
 * is kept for a TTL (concurrent callers share one fetch; a failed fetch is not kept). While such a
 * list cannot be had, model names are not checked here and the upstream's own answer decides.
 */
public final class ModelCatalog {
    /** The output limit assumed for a model no list describes: what current chat models allow at most, commonly. */
    public static final int UNKNOWN_OUTPUT_LIMIT = 32_768;
    private final LlmClient llm;
    private final List<Upstream> upstreams;
    private final Duration ttl;
    private final TimeSource time;
    private final Map<Upstream, Fetch> fetches = new LinkedHashMap<>();

    public ModelCatalog(LlmClient llm, List<Upstream> upstreams, Duration ttl, TimeSource time) {
        this.llm = llm;
        this.upstreams = upstreams;
        this.ttl = ttl;
        this.time = time;
        for (Upstream u : upstreams) {
            if (u.servesAnything()) {
                fetches.put(u, new Fetch(u));
            }
        }
    }

    /** The OpenAI list object over all upstreams; fails only when no upstream's list can be had at all. */
    public CompletableFuture<ObjectNode> list() {
        List<CompletableFuture<Optional<ObjectNode>>> lists = new ArrayList<>();
        for (Fetch fetch : fetches.values()) {
            lists.add(fetch.get().handle((list, error) -> Optional.ofNullable(error == null ? list : null)));
        }
        return CompletableFuture.allOf(lists.toArray(new CompletableFuture[0])).thenCompose(done -> {
            ObjectNode out = JsonNodeFactory.instance.objectNode().put("object", "list");
            ArrayNode data = out.putArray("data");
            Set<String> seen = new LinkedHashSet<>();
            for (Upstream u : upstreams) {
                for (String model : u.models) {
                    if (!model.equals(Upstream.ANY_MODEL) && seen.add(model)) {
                        data.addObject().put("id", model).put("object", "model").put("created", 0).put("owned_by", u.name);
                    }
                }
            }
            boolean anyFetched = false;
            for (CompletableFuture<Optional<ObjectNode>> list : lists) {
                Optional<ObjectNode> fetched = list.join();
                if (fetched.isPresent()) {
                    anyFetched = true;
                    for (JsonNode model : fetched.get().path("data")) {
                        if (model.isObject() && seen.add(model.path("id").asText())) {
                            data.add(model);
                        }
                    }
                }
            }
            if (!anyFetched && !fetches.isEmpty() && data.isEmpty()) {
                // Nothing configured and nothing fetched: say why, as the single-upstream setup always did.
                return fetches.values().iterator().next().get();
            }
            return CompletableFuture.completedFuture(out);
        });
    }

    /** One model of the list, or empty when no upstream serves it. */
    public CompletableFuture<Optional<ObjectNode>> find(String id) {
        return list().thenApply(list -> {
            for (JsonNode model : list.path("data")) {
                if (id.equals(model.path("id").asText())) {
                    return Optional.of((ObjectNode) model);
                }
            }
            return Optional.empty();
        });
    }

    /** Model ids, or empty when some upstream's list cannot be had right now (then names are not checked). */
    public CompletableFuture<Optional<Set<String>>> ids() {
        List<CompletableFuture<Optional<Set<String>>>> lists = new ArrayList<>();
        for (Fetch fetch : fetches.values()) {
            lists.add(fetch.ids());
        }
        return CompletableFuture.allOf(lists.toArray(new CompletableFuture[0])).thenApply(done -> {
            Set<String> ids = new LinkedHashSet<>();
            for (Upstream u : upstreams) {
                for (String model : u.models) {
                    if (!model.equals(Upstream.ANY_MODEL)) {
                        ids.add(model);
                    }
                }
            }
            for (CompletableFuture<Optional<Set<String>>> list : lists) {
                Optional<Set<String>> fetched = list.join();
                if (fetched.isEmpty()) {
                    return Optional.empty();
                }
                ids.addAll(fetched.get());
            }
            return Optional.of(ids);
        });
    }

    public CompletableFuture<Void> requireKnown(String model) {
        return ids().thenAccept(ids -> {
            if (ids.isPresent() && !ids.get().contains(model)) {
                throw unknown(model, ids.get());
            }
        });
    }

    /**
     * The most tokens one answer of the model may have: what an upstream's list says
     * ({@code max_completion_tokens}, {@code max_output_tokens}, OpenRouter's
     * {@code top_provider.max_completion_tokens}), else {@link #UNKNOWN_OUTPUT_LIMIT}. Never waits
     * for a list: one not fetched yet counts as unknown.
     */
    public int outputLimit(String model) {
        if (model != null) {
            for (Fetch fetch : fetches.values()) {
                Integer limit = fetch.outputLimits().get(model);
                if (limit != null) {
                    return limit;
                }
            }
        }
        return UNKNOWN_OUTPUT_LIMIT;
    }

    static Integer outputLimitOf(JsonNode model) {
        for (JsonNode value : new JsonNode[] {model.path("max_completion_tokens"), model.path("max_output_tokens"),
                model.path("top_provider").path("max_completion_tokens")}) {
            if (value.isIntegralNumber() && value.asLong() > 0 && value.asLong() <= 10_000_000) {
                return value.asInt();
            }
        }
        return null;
    }

    /** An upstream "model not found", restated with the valid names when we know them. */
    public CompletableFuture<JingneiException> explain(String model, JingneiException upstream) {
        return ids().thenApply(ids -> ids.map(known -> unknown(model, known)).orElse(upstream));
    }

    private static JingneiException unknown(String model, Set<String> known) {
        return new JingneiException(ErrorKind.MODEL_NOT_FOUND,
                "model '" + model + "' is not available; valid models: " + String.join(", ", known));
    }

    /** One upstream's list, fetched once per TTL. */
    private final class Fetch {
        private final Upstream upstream;
        private CompletableFuture<ObjectNode> current;
        private CompletableFuture<Optional<Set<String>>> currentIds;
        private volatile Map<String, Integer> outputLimits = Map.of();
        private long fetchedAtNanos;

        Fetch(Upstream upstream) {
            this.upstream = upstream;
        }

        synchronized CompletableFuture<ObjectNode> get() {
            boolean stale = current == null
                    || current.isCompletedExceptionally()
                    || (current.isDone() && time.nanoTime() - fetchedAtNanos > ttl.toNanos());
            if (stale) {
                fetchedAtNanos = time.nanoTime();
                current = llm.listModels(upstream);
                // Built once per fetch: every call checks its model against it.
                currentIds = current.handle((list, error) -> {
                    if (error != null) {
                        return Optional.empty();
                    }
                    Set<String> ids = new LinkedHashSet<>();
                    Map<String, Integer> limits = new java.util.HashMap<>();
                    for (JsonNode model : list.path("data")) {
                        String id = model.path("id").asText();
                        Integer limit = outputLimitOf(model);
                        if (limit != null) {
                            limits.put(id, limit);
                            upstream.modelMap.forEach((ours, theirs) -> {
                                if (theirs.equals(id)) {
                                    limits.put(ours, limit);
                                }
                            });
                        }
                        // Listed by the upstream's own name: map back to ours where model_map says so.
                        ids.add(id);
                        upstream.modelMap.forEach((ours, theirs) -> {
                            if (theirs.equals(id)) {
                                ids.add(ours);
                            }
                        });
                    }
                    outputLimits = Map.copyOf(limits);
                    return ids.isEmpty() ? Optional.<Set<String>>empty() : Optional.of(ids);
                });
            }
            return current;
        }

        /** What the last good list said; not a fetch (a call's caps must not wait for one). */
        Map<String, Integer> outputLimits() {
            return outputLimits;
        }

        synchronized CompletableFuture<Optional<Set<String>>> ids() {
            get();
            return currentIds;
        }
    }
}
