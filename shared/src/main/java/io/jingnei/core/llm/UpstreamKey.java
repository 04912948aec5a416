package io.jingnei.core.llm;

/**
 * One API key of an upstream and whether it may be used now: a key answered 401/403 is set aside
 * for the key cooldown, a key answered 429 rests for the upstream's Retry-After.
 */
final class UpstreamKey {
    final String value;
    /** Position in the upstream's list, for logs: the key itself is never logged. */
    final int number;
    private volatile long restUntilNanos;
    private volatile boolean rejected;

    UpstreamKey(String value, int number) {
        this.value = value;
        this.number = number;
    }

    boolean usable(long nowNanos) {
        return nowNanos >= restUntilNanos;
    }

    /** Set aside after a 401/403 (rather than resting after a 429). */
    boolean rejected() {
        return rejected;
    }

    long restUntilNanos() {
        return restUntilNanos;
    }

    /** @return true the first time the key is set aside in a row, so the rejection is logged once */
    boolean reject(long nowNanos, long cooldownNanos) {
        restUntilNanos = nowNanos + cooldownNanos;
        boolean first = !rejected;
        rejected = true;
        return first;
    }

    void rest(long nowNanos, long nanos) {
        restUntilNanos = Math.max(restUntilNanos, nowNanos + nanos);
    }

    /** The upstream took this key: whatever set it aside is over. */
    void accepted() {
        if (rejected) {
            rejected = false;
            restUntilNanos = 0;
        }
    }
}
