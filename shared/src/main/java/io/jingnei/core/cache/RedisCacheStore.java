package io.jingnei.core.cache;

import io.jingnei.core.redis.Redis;
import io.jingnei.core.util.Hashing;
import io.jingnei.core.util.TimeSource;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The cache in Redis, shared by every instance: answers under {@code jingnei:cache:<hash>} with the
 * TTL as expiry. For semantic hits each scope's question vectors and shapes (a digest and bigram
 * codes, no text) go into a capped stream; every
 * instance keeps a copy of the vectors it has read and, before each lookup, reads what other
 * instances added since (one round trip), then scans its copy in memory.
 */
final class RedisCacheStore implements CacheStore {
    private final Redis redis;
    private final int max;
    private final TimeSource time;
    private final Map<String, Mirror> mirrors = new ConcurrentHashMap<>();

    private static final class Mirror {
        final SemanticEntries entries;
        StreamEntryID last = new StreamEntryID(0, 0);

        Mirror(int max) {
            this.entries = new SemanticEntries(max);
        }
    }

    RedisCacheStore(Redis redis, int max, TimeSource time) {
        this.redis = redis;
        this.max = max;
        this.time = time;
    }

    @Override
    public CompletableFuture<Optional<String>> get(String key) {
        return redis.call(jedis -> Optional.ofNullable(jedis.get("jingnei:cache:" + key)));
    }

    @Override
    public CompletableFuture<Void> put(String key, String value, Duration ttl) {
        return redis.call(jedis -> jedis.set("jingnei:cache:" + key, value, SetParams.setParams().px(ttl.toMillis()))).thenApply(ok -> null);
    }

    @Override
    public CompletableFuture<Optional<String>> nearest(String scope, float[] vector, double minSimilarity, Predicate<QuestionShape> accepts) {
        Mirror mirror = mirrors.computeIfAbsent(scope, s -> new Mirror(max));
        String stream = stream(scope);
        return redis.call(jedis -> {
            synchronized (mirror) {
                List<Map.Entry<String, List<StreamEntry>>> read = jedis.xread(XReadParams.xReadParams().count(max),
                        Map.of(stream, mirror.last));
                if (read != null) {
                    for (Map.Entry<String, List<StreamEntry>> batch : read) {
                        for (StreamEntry entry : batch.getValue()) {
                            Map<String, String> f = entry.getFields();
                            // An entry without a shape (written by an older version) is never served.
                            if (f.containsKey("s")) {
                                mirror.entries.add(VectorBase64.decode(f.get("v")), QuestionShape.decode(f.get("s")), f.get("k"),
                                        Long.parseLong(f.get("e")));
                            }
                            mirror.last = entry.getID();
                        }
                    }
                }
                return mirror.entries.nearest(vector, minSimilarity, accepts, time.currentTimeMillis());
            }
        });
    }

    @Override
    public CompletableFuture<Void> remember(String scope, float[] vector, QuestionShape shape, String key, Duration ttl) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("k", key);
        fields.put("e", String.valueOf(time.currentTimeMillis() + ttl.toMillis()));
        fields.put("v", VectorBase64.encode(vector));
        fields.put("s", shape.encode());
        String stream = stream(scope);
        return redis.call(jedis -> {
            jedis.xadd(stream, XAddParams.xAddParams().maxLen(max).approximateTrimming(), fields);
            jedis.pexpire(stream, ttl.toMillis());
            return null;
        });
    }

    private static String stream(String scope) {
        return "jingnei:cache:sem:" + Hashing.sha256Hex(scope).substring(0, 24);
    }

    @Override
    public String describe() {
        return "shared across instances in " + redis.display();
    }
}
