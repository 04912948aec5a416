package io.jingnei.core.testing;


import io.jingnei.core.util.TimeSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Virtual time: a delay returns at once and moves the clock forward, and is remembered. */
public final class FakeTime implements TimeSource {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<Duration> delays = new CopyOnWriteArrayList<>();
    private static final long EPOCH_MILLIS = 1_764_201_600_000L;

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public long currentTimeMillis() {
        return EPOCH_MILLIS + nanos.get() / 1_000_000;
    }

    @Override
    public CompletableFuture<Void> delay(Duration delay) {
        delays.add(delay);
        nanos.addAndGet(delay.toNanos());
        return CompletableFuture.completedFuture(null);
    }

    /** Lets time pass without a delay being asked for (cooldowns, rests). */
    public void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    public List<Duration> delays() {
        return delays;
    }
}
