package io.jingnei.core.request;

import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BodyBudgetTest {

    @Test
    void reservations_never_exceed_the_budget_and_come_back_when_released() {
        BodyBudget budget = new BodyBudget(10, Duration.ofSeconds(1));

        assertThat(budget.tryReserve(6)).isTrue();
        assertThat(budget.tryReserve(5)).as("6 + 5 > 10").isFalse();
        assertThat(budget.tryReserve(4)).isTrue();
        assertThat(budget.held()).isEqualTo(10);
        assertThat(budget.tryReserve(1)).isFalse();
        budget.release(6);
        assertThat(budget.tryReserve(5)).isTrue();
        assertThat(budget.tryReserve(0)).as("an empty body needs nothing").isTrue();
        assertThat(budget.held()).isEqualTo(9);
    }

    @Test
    void concurrent_reservations_stay_within_the_budget() throws Exception {
        BodyBudget budget = new BodyBudget(1000, Duration.ofSeconds(1));
        Thread[] threads = new Thread[8];
        int[] granted = new int[threads.length];
        for (int t = 0; t < threads.length; t++) {
            int me = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    if (budget.tryReserve(7)) {
                        granted[me]++;
                        assertThat(budget.held()).isLessThanOrEqualTo(1000);
                        budget.release(7);
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(budget.held()).isZero();
    }

    @Test
    void settings_default_to_a_quarter_of_the_heap_and_never_below_one_body() {
        BodyBudget defaults = BodyBudget.from(Env.of(Map.of()), 8 << 20);
        assertThat(defaults.limitBytes).isEqualTo(Math.max(8 << 20, Runtime.getRuntime().maxMemory() / 4));
        assertThat(defaults.timeout).isEqualTo(Duration.ofSeconds(20));

        BodyBudget set = BodyBudget.from(Env.of(Map.of("JINGNEI_MAX_INFLIGHT_BODY_BYTES", "64M", "JINGNEI_BODY_TIMEOUT", "5s")), 8 << 20);
        assertThat(set.limitBytes).isEqualTo(64L << 20);
        assertThat(set.timeout).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> BodyBudget.from(Env.of(Map.of("JINGNEI_MAX_INFLIGHT_BODY_BYTES", "1M")), 8 << 20))
                .isInstanceOf(ConfigException.class).hasMessageContaining("JINGNEI_MAX_INFLIGHT_BODY_BYTES");
    }
}
