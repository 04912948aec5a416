package io.jingnei.core.error;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * "When to come back", on both wires. A failure carries it as a {@link Duration}
 * ({@link JingneiException#retryAfter()}): our own rate limits, an upstream's passed back, a key
 * resting, an open breaker. This class reads it from an upstream's headers and writes it for our
 * callers, so there is one representation and one place for each direction.
 */
public final class RetryAfter {
    private RetryAfter() {
    }

    /** How long an upstream asked us to wait: {@code Retry-After-Ms}, then {@code Retry-After} (seconds or HTTP date). */
    public static Optional<Duration> parse(String retryAfterMs, String retryAfter, long nowMillis) {
        if (retryAfterMs != null) {
            try {
                double ms = Double.parseDouble(retryAfterMs.trim());
                if (ms >= 0) {
                    return Optional.of(Duration.ofMillis((long) ms));
                }
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        if (retryAfter == null || retryAfter.isBlank()) {
            return Optional.empty();
        }
        String value = retryAfter.trim();
        try {
            double seconds = Double.parseDouble(value);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofMillis((long) (seconds * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                long at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
                return Optional.of(Duration.ofMillis(Math.max(0, at - nowMillis)));
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    /** Our {@code Retry-After}: whole seconds rounded up, at least 1 (0 would invite an immediate retry). */
    public static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
