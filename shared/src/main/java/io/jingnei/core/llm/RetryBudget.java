package io.jingnei.core.llm;


import io.jingnei.core.util.TimeSource;

import java.time.Duration;

/**
 * Per upstream, across calls: retries may be at most {@code percent} of the requests sent to it over
 * the last {@code window}, with a floor of {@code minRetries} so a lone caller still gets its retries
 * (Envoy's retry budget). Clients retry on their own (LangChain4j 3 times, Spring AI 10 times), and
 * retries at every layer multiply; the budget caps ours when an upstream is failing for everyone.
 * The window is a ring of ten buckets, so old counts fall away smoothly. Thread-safe.
 */
final class RetryBudget {
    private static final int BUCKETS = 10;

    private final double percent;
    private final int minRetries;
    private final long bucketNanos;
    private final TimeSource time;
    private final int[] requests = new int[BUCKETS];
    private final int[] retries = new int[BUCKETS];
    private final long[] bucketStart = new long[BUCKETS];

    RetryBudget(double percent, int minRetries, Duration window, TimeSource time) {
        this.percent = percent;
        this.minRetries = minRetries;
        this.bucketNanos = Math.max(1, window.toNanos() / BUCKETS);
        this.time = time;
        long now = time.nanoTime();
        for (int i = 0; i < BUCKETS; i++) {
            bucketStart[i] = Long.MIN_VALUE;
        }
        bucketStart[index(now)] = start(now);
    }

    /** A first attempt of a call on this upstream. */
    synchronized void request() {
        requests[current()]++;
    }

    /** Takes one retry from the budget; false when the budget is spent (the call must not retry here). */
    synchronized boolean tryRetry() {
        int b = current();
        long sentRequests = 0;
        long sentRetries = 0;
        long oldest = start(time.nanoTime()) - (long) (BUCKETS - 1) * bucketNanos;
        for (int i = 0; i < BUCKETS; i++) {
            if (bucketStart[i] >= oldest) {
                sentRequests += requests[i];
                sentRetries += retries[i];
            }
        }
        if (sentRetries + 1 > Math.max(minRetries, sentRequests * percent / 100.0)) {
            return false;
        }
        retries[b]++;
        return true;
    }

    private int current() {
        long now = time.nanoTime();
        int i = index(now);
        long start = start(now);
        if (bucketStart[i] != start) {
            bucketStart[i] = start;
            requests[i] = 0;
            retries[i] = 0;
        }
        return i;
    }

    private int index(long nanos) {
        return (int) Math.floorMod(Math.floorDiv(nanos, bucketNanos), (long) BUCKETS);
    }

    private long start(long nanos) {
        return Math.floorDiv(nanos, bucketNanos) * bucketNanos;
    }
}
