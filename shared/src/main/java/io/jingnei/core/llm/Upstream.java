package io.jingnei.core.llm;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One OpenAI-compatible provider as configured (JINGNEI_UPSTREAMS, or the single upstream of
 * JINGNEI_LLM_BASE_URL/JINGNEI_LLM_API_KEY) with its live state: which keys may be used now and
 * its circuit breaker. Keys rotate round-robin over those not resting.
 */
public final class Upstream {
    public static final String ANY_MODEL = "*";

    public final String name;
    public final String baseUrl;
    final String host;
    final List<UpstreamKey> keys;
    /** Model names this upstream serves; {@link #ANY_MODEL} serves anything. */
    public final Set<String> models;
    /** Our model name to this upstream's name for it ("deepseek-v3.2" -> "deepseek-chat"). */
    public final Map<String, String> modelMap;
    public final int weight;
    final Duration timeout;
    final int maxRetries;
    final Map<String, String> headers;
    final CircuitBreaker breaker;
    private final AtomicInteger nextKey = new AtomicInteger();

    Upstream(String name, String baseUrl, List<String> keys, Set<String> models, Map<String, String> modelMap, int weight,
             Duration timeout, int maxRetries, Map<String, String> headers, CircuitBreaker breaker) {
        this.name = name;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.host = URI.create(this.baseUrl).getHost();
        UpstreamKey[] built = new UpstreamKey[keys.size()];
        for (int i = 0; i < built.length; i++) {
            built[i] = new UpstreamKey(keys.get(i), i + 1);
        }
        this.keys = List.of(built);
        this.models = models;
        this.modelMap = modelMap;
        this.weight = weight;
        this.timeout = timeout;
        this.maxRetries = maxRetries;
        this.headers = headers;
        this.breaker = breaker;
    }

    public boolean serves(String model) {
        return models.contains(ANY_MODEL) || models.contains(model);
    }

    public boolean servesAnything() {
        return models.contains(ANY_MODEL);
    }

    /** The name this upstream knows our model by. */
    String upstreamModel(String model) {
        return modelMap.getOrDefault(model, model);
    }

    boolean hasKeys() {
        return !keys.isEmpty();
    }

    /** The single-upstream setup without JINGNEI_LLM_API_KEY: calls fail with a clear auth_error. */
    public boolean keysMissing() {
        return keys.isEmpty();
    }

    /** The next key that may be used now, rotating; null when every key is resting or rejected. */
    UpstreamKey nextKey(long nowNanos) {
        int n = keys.size();
        int start = Math.floorMod(nextKey.getAndIncrement(), Math.max(1, n));
        for (int i = 0; i < n; i++) {
            UpstreamKey key = keys.get((start + i) % n);
            if (key.usable(nowNanos)) {
                return key;
            }
        }
        return null;
    }

    /** A key set aside after a 401/403, for a last try when nothing else is left; null when there is none. */
    UpstreamKey rejectedKey() {
        for (UpstreamKey key : keys) {
            if (key.rejected()) {
                return key;
            }
        }
        return null;
    }

    /** When the first resting (429) key may be used again; Long.MAX_VALUE when none rests. */
    long earliestRestEnd(long nowNanos) {
        long earliest = Long.MAX_VALUE;
        for (UpstreamKey key : keys) {
            if (!key.rejected() && !key.usable(nowNanos)) {
                earliest = Math.min(earliest, key.restUntilNanos());
            }
        }
        return earliest;
    }

    /** Whether another key than {@code tried} may be used now. */
    boolean hasOtherUsableKey(UpstreamKey tried, long nowNanos) {
        for (UpstreamKey key : keys) {
            if (key != tried && key.usable(nowNanos)) {
                return true;
            }
        }
        return false;
    }

    List<String> keyValues() {
        return keys.stream().map(k -> k.value).collect(java.util.stream.Collectors.toList());
    }
}
