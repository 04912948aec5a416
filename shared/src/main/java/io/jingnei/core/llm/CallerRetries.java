package io.jingnei.core.llm;


import io.jingnei.core.util.TimeSource;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tells a caller's own retry from a new request: openai-node and openai-python send
 * {@code x-stainless-retry-count} (0 first, then 1, 2...); other clients repeat their
 * {@code x-request-id}. Ids are remembered for {@code ttlNanos}, at most {@code capacity} of them
 * (oldest forgotten first), per instance: a retry that lands on another instance is simply not
 * recognised, which only costs the retries this saves. Thread-safe.
 */
public final class CallerRetries {
    private final int capacity;
    private final long ttlNanos;
    private final TimeSource time;
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > capacity;
        }
    };

    public CallerRetries(int capacity, java.time.Duration ttl, TimeSource time) {
        this.capacity = capacity;
        this.ttlNanos = ttl.toNanos();
        this.time = time;
    }

    /**
     * @param retryCount the {@code x-stainless-retry-count} header, or null
     * @param callerRequestId the caller's own {@code x-request-id} header, or null
     * @param callerKey who is calling (a user or key label), so one caller's ids never mark another's
     */
    public boolean isRetry(String retryCount, String callerRequestId, String callerKey) {
        if (retryCount != null) {
            try {
                if (Integer.parseInt(retryCount.trim()) > 0) {
                    return true;
                }
            } catch (NumberFormatException ignored) {
                // not a count: judge by the request id
            }
        }
        if (callerRequestId == null || callerRequestId.isBlank() || callerRequestId.length() > 128) {
            return false;
        }
        String key = callerKey + "\u0000" + callerRequestId;
        long now = time.nanoTime();
        synchronized (seen) {
            Long at = seen.put(key, now);
            return at != null && now - at < ttlNanos;
        }
    }
}
