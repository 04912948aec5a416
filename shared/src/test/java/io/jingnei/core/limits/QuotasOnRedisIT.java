package io.jingnei.core.limits;

import io.jingnei.core.auth.Caller;
import io.jingnei.core.config.Env;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.pricing.Cost;
import io.jingnei.core.pricing.Usage;
import io.jingnei.core.redis.Redis;
import io.jingnei.core.testing.FakeTime;
import io.jingnei.core.testing.RedisServer;
import io.jingnei.core.util.TimeSource;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Lua path on a real redis-server: a monthly budget, and JINGNEI_LIMITS_ON_REDIS_ERROR=closed while Redis is gone. */
class QuotasOnRedisIT {
    /** 10 November, midday in Shanghai: well inside the day and the month. */
    private static final FakeTime TIME = new FakeTime(Instant.parse("2026-11-10T04:00:00Z"));

    private static CallContext call(String user) {
        return new CallContext("r", "chat", Caller.user(Caller.Via.CLIENT_KEY, user));
    }

    @Test
    void a_monthly_budget_spent_on_redis_refuses_with_insufficient_quota_and_leaves_other_users_alone() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        try (RedisServer server = RedisServer.start();
             Redis redis = Redis.from(Env.of(Map.of("JINGNEI_REDIS_URL", server.url())), new CallLog(log::add), TimeSource.system()).orElseThrow()) {
            Quotas quotas = Quotas.from(Env.of(Map.of("JINGNEI_LIMITS", "*:cny_month=2")), Optional.of(redis), TIME, new CallLog(log::add), QuotasTest.PRICING);
            String user = "month-user-" + System.nanoTime();
            quotas.admit(call(user), QuotasTest.tokens(10)).get(5, TimeUnit.SECONDS);
            quotas.charge(call(user), new Usage(10, 10, 0), new Cost(BigDecimal.ZERO, new BigDecimal("2.0000001")));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (quotas.usage(user).get(5, TimeUnit.SECONDS).path("month").path("spent_cny").decimalValue().compareTo(new BigDecimal("2")) <= 0
                    && System.nanoTime() < until) {
                Thread.sleep(20);
            }

            LimitExceeded month = QuotasTest.refusal(() -> quotas.admit(call(user), QuotasTest.tokens(10)).join());
            assertThat(month.kind()).isEqualTo(ErrorKind.INSUFFICIENT_QUOTA);
            assertThat(month.getMessage()).contains("monthly budget of ¥2", "2026-12-01T00:00+08:00").doesNotContain(user);
            assertThat(month.retryAfter().orElseThrow().toSeconds()).as("until the 1st, 00:00 in Shanghai").isPositive();
            quotas.admit(call("someone-else-" + System.nanoTime()), QuotasTest.tokens(10)).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void concurrent_calls_on_redis_cannot_spend_past_a_budget_by_more_than_one_reservation() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        try (RedisServer server = RedisServer.start();
             Redis redis = Redis.from(Env.of(Map.of("JINGNEI_REDIS_URL", server.url())), new CallLog(log::add), TimeSource.system()).orElseThrow()) {
            Quotas quotas = Quotas.from(Env.of(Map.of("JINGNEI_LIMITS", "*:cny_day=0.01")), Optional.of(redis), TIME,
                    new CallLog(log::add), QuotasTest.PRICING);
            QuotasTest.Overshoot result = QuotasTest.fifteenConcurrentCalls(quotas, "redis-user-" + System.nanoTime());

            assertThat(result.admitted).as("the budget holds three reservations, not fifteen").isEqualTo(3);
            assertThat(result.spentCny).isLessThanOrEqualTo(0.01 + result.reservationCny);
            assertThat(result.refusedRate).as("the others are told to come back, not that the budget is gone").isPositive();
        }
    }

    @Test
    void with_limits_closed_on_redis_errors_calls_are_refused_while_redis_is_gone_and_admitted_again_after() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        try (RedisServer server = RedisServer.start();
             Redis redis = Redis.from(Env.of(Map.of("JINGNEI_REDIS_URL", server.url())), new CallLog(log::add), TimeSource.system()).orElseThrow()) {
            Quotas quotas = Quotas.from(Env.of(Map.of("JINGNEI_LIMITS", "*:rpm=100", "JINGNEI_LIMITS_ON_REDIS_ERROR", "closed")),
                    Optional.of(redis), TIME, new CallLog(log::add), QuotasTest.PRICING);
            quotas.admit(call("closed-user"), QuotasTest.tokens(10)).get(5, TimeUnit.SECONDS);

            server.kill();
            LimitExceeded refused = QuotasTest.refusal(() -> quotas.admit(call("closed-user"), QuotasTest.tokens(10)).join());
            assertThat(refused.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
            assertThat(refused.getMessage()).contains("limits cannot be checked");
            assertThat(refused.retryAfter().orElseThrow().toSeconds()).isEqualTo(5);
            assertThat(String.join("\n", log)).contains("redis unavailable").contains("JINGNEI_LIMITS_ON_REDIS_ERROR=closed");

            server.restart();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean admitted = false;
            while (!admitted && System.nanoTime() < until) {
                try {
                    quotas.admit(call("closed-user"), QuotasTest.tokens(10)).get(5, TimeUnit.SECONDS);
                    admitted = true;
                } catch (java.util.concurrent.ExecutionException stillDown) {
                    Thread.sleep(100);
                }
            }
            assertThat(admitted).as("admitted again once Redis is back").isTrue();
        }
    }

    /** The scripts run by digest; a Redis that forgot them (SCRIPT FLUSH, a restart, a failover) is sent them again. */
    @Test
    void requests_per_minute_are_counted_on_redis_even_after_it_forgets_the_scripts() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        try (RedisServer server = RedisServer.start();
             Redis redis = Redis.from(Env.of(Map.of("JINGNEI_REDIS_URL", server.url())), new CallLog(log::add), TimeSource.system()).orElseThrow()) {
            Quotas quotas = Quotas.from(Env.of(Map.of("JINGNEI_LIMITS", "*:rpm=2")), Optional.of(redis), TIME,
                    new CallLog(log::add), QuotasTest.PRICING);
            String user = "rpm-user-" + System.nanoTime();
            quotas.admit(call(user), QuotasTest.tokens(10)).get(5, TimeUnit.SECONDS);

            redis.call(jedis -> jedis.scriptFlush()).get(5, TimeUnit.SECONDS);
            quotas.admit(call(user), QuotasTest.tokens(10)).get(5, TimeUnit.SECONDS);
            LimitExceeded third = QuotasTest.refusal(() -> quotas.admit(call(user), QuotasTest.tokens(10)).join());

            assertThat(third.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
            assertThat(third.retryAfter().orElseThrow().toSeconds()).as("until the first request leaves the minute").isEqualTo(60);
            assertThat(redis.call(jedis -> jedis.zcard("jingnei:{" + user + "}:rpm")).get(5, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(String.join("\n", log)).doesNotContain("redis unavailable");
        }
    }
}
