package io.jingnei.core.llm;

import io.jingnei.core.error.ErrorKind;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {
    private final UpstreamException plain = new UpstreamException(ErrorKind.UPSTREAM_ERROR, "503", true, null, 503, null);

    @Test
    void doubles_the_delay_until_the_cap() {
        RetryPolicy top = new RetryPolicy(10, Duration.ofMillis(500), Duration.ofSeconds(4), () -> 0.999999);
        assertThat(top.delayBefore(1, plain)).isEqualTo(Duration.ofMillis(499));
        assertThat(top.delayBefore(2, plain)).isEqualTo(Duration.ofMillis(999));
        assertThat(top.delayBefore(3, plain)).isEqualTo(Duration.ofMillis(1999));
        assertThat(top.delayBefore(4, plain)).isEqualTo(Duration.ofMillis(3999));
        assertThat(top.delayBefore(9, plain)).isEqualTo(Duration.ofMillis(3999));
    }

    @Test
    void jitter_stays_within_the_upper_half() {
        RetryPolicy bottom = new RetryPolicy(10, Duration.ofMillis(500), Duration.ofSeconds(4), () -> 0.0);
        assertThat(bottom.delayBefore(3, plain)).isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void retry_after_replaces_the_backoff() {
        RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(4), () -> 0.5);
        UpstreamException limited = new UpstreamException(ErrorKind.RATE_LIMITED, "429", true, Duration.ofSeconds(7), 429, null);
        assertThat(policy.delayBefore(1, limited)).isEqualTo(Duration.ofSeconds(7));
    }
}
