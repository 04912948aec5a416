package io.jingnei.core.llm;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Clock and non-blocking sleep, injectable so retry tests run instantly and deterministically. */
public interface TimeSource {

    long nanoTime();

    long currentTimeMillis();

    /** Completes after {@code delay}; must not block the caller. */
    CompletableFuture<Void> delay(Duration delay);

    static TimeSource system() {
        return new TimeSource() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public long currentTimeMillis() {
                return System.currentTimeMillis();
            }

            @Override
            public CompletableFuture<Void> delay(Duration delay) {
                return CompletableFuture.runAsync(() -> { },
                        CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS));
            }
        };
    }
}
