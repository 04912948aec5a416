package io.jingnei.core.llm;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff with jitter. The n-th wait is a random time in [d/2, d] where
 * d = min(max, base * 2^(n-1)); an upstream's Retry-After replaces that. Waits happen only when
 * every candidate upstream was just tried: failing over to another upstream needs no wait.
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

    /** @param retry 1 for the first wait */
    public Duration delayBefore(int retry, Throwable failure) {
        Optional<Duration> asked = failure instanceof UpstreamException ? ((UpstreamException) failure).retryAfter() : Optional.empty();
        if (asked.isPresent()) {
            return asked.get();
        }
        long capped = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(retry - 1, 30));
        long jittered = capped / 2 + (long) (random.getAsDouble() * (capped - capped / 2));
        return Duration.ofMillis(jittered);
    }
}
