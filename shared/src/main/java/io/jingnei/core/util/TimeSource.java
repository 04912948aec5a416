package io.jingnei.core.util;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The core's one clock: wall-clock time, monotonic time and a non-blocking sleep. It is injected
 * (the instance boots with one and hands it down) so tests run on virtual time, shared's
 * {@code FakeTime}, instead of waiting or pinning a date.
 *
 * <p>Which reading: wall-clock ({@link #now()}, {@link #currentTimeMillis()}) for what leaves the
 * process or outlives it (token expiry, request signatures, cache entries, quota windows, lock ages
 * in a store); {@link #nanoTime()} for intervals inside this process (deadlines, cooldowns, rests).
 *
 * <p>The one rule for main code: a reading that decides something (a timeout, an expiry, a rate
 * window, an age, a cooldown) comes from a TimeSource. A bare {@code System.nanoTime()} or
 * {@code System.currentTimeMillis()} is left only for a reading that decides nothing, where no
 * TimeSource is at hand: a duration that is only reported ({@code latency_ms}, a summary's
 * duration; its start and end read the same clock) or the {@code created} stamp of an answer.
 *
 * <p>Implementations are thread-safe.
 */
public interface TimeSource {

    /** Monotonic nanoseconds, only for differences (like {@link System#nanoTime()}). */
    long nanoTime();

    /** Wall-clock milliseconds since the epoch. */
    long currentTimeMillis();

    /** Wall-clock time, at millisecond precision. */
    default Instant now() {
        return Instant.ofEpochMilli(currentTimeMillis());
    }

    /** Completes after {@code delay}; must not block the caller. */
    CompletableFuture<Void> delay(Duration delay);

    /** The system clock: one stateless instance, nothing started until a delay is asked for. */
    static TimeSource system() {
        return SystemTime.INSTANCE;
    }
}
