package io.jingnei.core.error;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {
    private static final long NOW = 1_440_938_160_000L; // Sun, 30 Aug 2015 12:36:00 GMT

    @Test
    void reads_whole_and_fractional_seconds() {
        assertThat(RetryAfter.parse(null, "2", NOW)).contains(Duration.ofSeconds(2));
        assertThat(RetryAfter.parse(null, "0.5", NOW)).contains(Duration.ofMillis(500));
    }

    @Test
    void reads_an_http_date_relative_to_now() {
        assertThat(RetryAfter.parse(null, "Sun, 30 Aug 2015 12:36:07 GMT", NOW)).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse(null, "Sun, 30 Aug 2015 12:35:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void prefers_retry_after_ms() {
        assertThat(RetryAfter.parse("250", "9", NOW)).contains(Duration.ofMillis(250));
    }

    @Test
    void tells_callers_whole_seconds_rounded_up_and_never_zero() {
        assertThat(RetryAfter.seconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(RetryAfter.seconds(Duration.ZERO)).isEqualTo(1);
        assertThat(RetryAfter.seconds(Duration.ofMillis(2001))).isEqualTo(3);
        assertThat(RetryAfter.seconds(Duration.ofSeconds(30))).isEqualTo(30);
    }

    @Test
    void ignores_what_it_cannot_read() {
        assertThat(RetryAfter.parse(null, "soon", NOW)).isEqualTo(Optional.empty());
        assertThat(RetryAfter.parse("x", null, NOW)).isEqualTo(Optional.empty());
        assertThat(RetryAfter.parse(null, "-3", NOW)).isEqualTo(Optional.empty());
    }
}
