package io.jingnei.core.cache;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where cached answers live: Redis (shared by every instance) or this instance's memory. Values are
 * JSON text of answers whose personal information is still masked. The semantic part keeps question
 * vectors per scope (same model, prompt, index) and finds the nearest one above a similarity.
 */
interface CacheStore {
    CompletableFuture<Optional<String>> get(String key);

    CompletableFuture<Void> put(String key, String value, Duration ttl);

    /** The key stored with the most similar vector of {@code scope}, if one reaches {@code minSimilarity}. */
    CompletableFuture<Optional<String>> nearest(String scope, float[] vector, double minSimilarity);

    CompletableFuture<Void> remember(String scope, float[] vector, String key, Duration ttl);

    String describe();
}
