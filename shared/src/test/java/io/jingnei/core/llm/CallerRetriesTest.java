package io.jingnei.core.llm;

import io.jingnei.core.testing.FakeTime;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class CallerRetriesTest {
    private final FakeTime time = new FakeTime();
    private final CallerRetries retries = new CallerRetries(2, Duration.ofMinutes(10), time);

    @Test
    void the_sdks_retry_count_says_it() {
        assertThat(retries.isRetry("0", null, "shop-a")).isFalse();
        assertThat(retries.isRetry("1", null, "shop-a")).isTrue();
        assertThat(retries.isRetry("two", null, "shop-a")).isFalse();
    }

    @Test
    void a_request_id_seen_moments_ago_from_the_same_caller_is_a_retry() {
        assertThat(retries.isRetry(null, "req-1", "shop-a")).isFalse();
        assertThat(retries.isRetry(null, "req-1", "shop-b")).as("another caller's id").isFalse();
        assertThat(retries.isRetry(null, "req-1", "shop-a")).isTrue();
        time.advance(Duration.ofMinutes(11));
        assertThat(retries.isRetry(null, "req-1", "shop-a")).as("long ago: a new request").isFalse();
    }

    @Test
    void memory_is_bounded_oldest_first() {
        retries.isRetry(null, "a", "k");
        retries.isRetry(null, "b", "k");
        retries.isRetry(null, "c", "k");
        assertThat(retries.isRetry(null, "a", "k")).isFalse();
        assertThat(retries.isRetry(null, "c", "k")).isTrue();
    }
}
