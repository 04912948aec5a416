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
 * in a store, the {@code created} field of an answer); {@link #nanoTime()} for intervals inside this
 * process (deadlines, timeouts, cooldowns, rests).
 *
 * <p>The one rule for a bare {@code System.nanoTime()} or {@code System.currentTimeMillis()} in main
 * code: every reading that decides something (a timeout, an expiry, a rate window, an age) comes
 * from a TimeSource; a direct call is left only where an elapsed time is measured for a log line and
 * no TimeSource is at hand.
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
