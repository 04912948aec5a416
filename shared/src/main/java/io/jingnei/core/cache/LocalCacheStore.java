package io.jingnei.core.cache;

import io.jingnei.core.util.TimeSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/** The cache in this instance's memory (no JINGNEI_REDIS_URL): least recently used out first, entries expire. */
final class LocalCacheStore implements CacheStore {
    private final int max;
    private final TimeSource time;
    private final Map<String, Object[]> entries;
    private final Map<String, SemanticEntries> scopes = new ConcurrentHashMap<>();

    LocalCacheStore(int max, TimeSource time) {
        this.max = max;
        this.time = time;
        this.entries = new LinkedHashMap<String, Object[]>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Object[]> eldest) {
                return size() > LocalCacheStore.this.max;
            }
        };
    }

    @Override
    public synchronized CompletableFuture<Optional<String>> get(String key) {
        Object[] entry = entries.get(key);
        if (entry == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        if ((long) entry[1] <= time.currentTimeMillis()) {
            entries.remove(key);
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return CompletableFuture.completedFuture(Optional.of((String) entry[0]));
    }

    @Override
    public synchronized CompletableFuture<Void> put(String key, String value, Duration ttl) {
        entries.put(key, new Object[] {value, time.currentTimeMillis() + ttl.toMillis()});
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Optional<String>> nearest(String scope, float[] vector, double minSimilarity, Predicate<QuestionShape> accepts) {
        SemanticEntries in = scopes.get(scope);
        if (in == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        synchronized (in) {
            return CompletableFuture.completedFuture(in.nearest(vector, minSimilarity, accepts, time.currentTimeMillis()));
        }
    }

    @Override
    public CompletableFuture<Void> remember(String scope, float[] vector, QuestionShape shape, String key, Duration ttl) {
        SemanticEntries in = scopes.computeIfAbsent(scope, s -> new SemanticEntries(max));
        synchronized (in) {
            in.add(vector, shape, key, time.currentTimeMillis() + ttl.toMillis());
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public String describe() {
        return "per instance (no JINGNEI_REDIS_URL)";
    }
}
