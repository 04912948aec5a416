package io.jingnei.core.testing;

import io.jingnei.core.util.TimeSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Virtual time, the tests' one clock: a delay returns at once and moves the clock forward, and is
 * remembered. The wall clock and the monotonic clock move together, only forward.
 */
public final class FakeTime implements TimeSource {
    private static final long START_NANOS = 1_000_000_000L;
    /** 2025-11-27T00:00:01Z at the start, unless a test names its own date. */
    private static final Instant DEFAULT_START = Instant.ofEpochMilli(1_764_201_601_000L);

    private final AtomicLong nanos = new AtomicLong(START_NANOS);
    private final List<Duration> delays = new CopyOnWriteArrayList<>();
    private final long epochMillisAtZeroNanos;

    public FakeTime() {
        this(DEFAULT_START);
    }

    /** Starts the wall clock at {@code start} (a date the test's expectations are written for). */
    public FakeTime(Instant start) {
        this.epochMillisAtZeroNanos = start.toEpochMilli() - START_NANOS / 1_000_000;
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public long currentTimeMillis() {
        return epochMillisAtZeroNanos + nanos.get() / 1_000_000;
    }

    @Override
    public CompletableFuture<Void> delay(Duration delay) {
        delays.add(delay);
        nanos.addAndGet(delay.toNanos());
        return CompletableFuture.completedFuture(null);
    }

    /** Lets time pass without a delay being asked for (cooldowns, rests, TTLs). */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time only moves forward: " + duration);
        }
        nanos.addAndGet(duration.toNanos());
    }

    /** Lets time pass until the wall clock reads {@code at}. */
    public void advanceTo(Instant at) {
        advance(Duration.between(now(), at));
    }

    public List<Duration> delays() {
        return delays;
    }
}
