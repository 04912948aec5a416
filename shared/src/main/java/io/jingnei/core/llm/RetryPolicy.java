package io.jingnei.core.llm;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff with jitter. The n-th retry waits a random time in
 * [d/2, d] where d = min(max, base * 2^(n-1)); an upstream's Retry-After replaces that.
 */
public final class RetryPolicy {
    public final int maxRetries;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final DoubleSupplier random;

    public RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay, DoubleSupplier random) {
        this.maxRetries = maxRetries;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.random = random;
    }

    /** @param retry 1 for the first retry */
    public Duration delayBefore(int retry, LlmException failure) {
        if (failure.retryAfter().isPresent()) {
            return failure.retryAfter().get();
        }
        long capped = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(retry - 1, 30));
        long jittered = capped / 2 + (long) (random.getAsDouble() * (capped - capped / 2));
        return Duration.ofMillis(jittered);
    }
}
