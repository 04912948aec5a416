package io.jingnei.core.cache;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Where cached answers live: Redis (shared by every instance) or this instance's memory. Values are
 * JSON text of answers whose personal information is still masked. The semantic part keeps question
 * vectors per scope (same model, prompt, index, tenant) with their questions' shapes, and finds the
 * nearest one above a similarity whose shape the caller accepts.
 */
interface CacheStore {
    CompletableFuture<Optional<String>> get(String key);

    CompletableFuture<Void> put(String key, String value, Duration ttl);

    /**
     * The key stored with the most similar vector of {@code scope} that reaches {@code minSimilarity}
     * and whose shape {@code accepts} (called under the store's lock: it must be quick and not block).
     */
    CompletableFuture<Optional<String>> nearest(String scope, float[] vector, double minSimilarity, Predicate<QuestionShape> accepts);

    CompletableFuture<Void> remember(String scope, float[] vector, QuestionShape shape, String key, Duration ttl);

    String describe();
}
