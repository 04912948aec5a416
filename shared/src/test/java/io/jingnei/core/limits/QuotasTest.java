package io.jingnei.core.limits;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.call.CallEstimate;
import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.pricing.Cost;
import io.jingnei.core.pricing.PriceTable;
import io.jingnei.core.pricing.Usage;
import io.jingnei.core.testing.FakeTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** JINGNEI_LIMITS as written by operators, counted by the per-instance store on a clock the test moves. */
class QuotasTest {
    /** 23:59:00 on 30 November in Shanghai: one minute before both the day and the month turn. */
    private static final Instant BEFORE_MIDNIGHT_SHANGHAI = Instant.parse("2026-11-30T15:59:00Z");

    private FakeTime time = new FakeTime(BEFORE_MIDNIGHT_SHANGHAI.minus(Duration.ofHours(1)));
    private final List<String> log = new ArrayList<>();

    private Quotas quotas(String spec) {
        return new Quotas(LimitRules.parse(spec), new LocalLimitStore(), true, time, Optional.empty(), new CallLog(log::add), PRICING);
    }

    /** The default price table at ¥1 a dollar, deepseek-v3.2 by default, every model's output limit 32k. */
    static final Quotas.Pricing PRICING = new Quotas.Pricing(new PriceTable(PriceTable.defaults(), BigDecimal.ONE), "deepseek-v3.2",
            model -> 32_768);

    /** A call whose reservation is exactly this many tokens (no answer allowance). */
    static CallEstimate tokens(long n) {
        return CallEstimate.of(null, n, 0);
    }

    private static CallContext call(String user) {
        return new CallContext("r", "chat", user == null ? Caller.anonymous() : Caller.user(Caller.Via.CLIENT_KEY, user));
    }

    /** The refusal a call ends with (also for QuotasOnRedisIT). */
    static LimitExceeded refusal(Runnable call) {
        Throwable thrown = catchThrowable(call::run);
        Throwable cause = thrown instanceof CompletionException ? thrown.getCause() : thrown;
        assertThat(cause).isInstanceOf(LimitExceeded.class);
        return (LimitExceeded) cause;
    }

    @Test
    void a_users_own_entry_overrides_the_star_entry_limit_by_limit_and_inherits_the_rest() {
        LimitRules rules = LimitRules.parse("*:rpm=60,tpm=200000,cny_day=20; alice:rpm=5 ;vip:cny_month=5000");

        assertThat(rules.of("alice").rpm).isEqualTo(5);
        assertThat(rules.of("alice").tpm).isEqualTo(200000);
        assertThat(rules.of("alice").cnyDay).isEqualByComparingTo("20");
        assertThat(rules.of("vip").cnyMonth).isEqualByComparingTo("5000");
        assertThat(rules.of("vip").rpm).isEqualTo(60);
        assertThat(rules.of("bob").rpm).isEqualTo(60);
        assertThat(LimitRules.parse("").any()).isFalse();
        assertThat(LimitRules.parse("alice:rpm=5").of("bob").none()).isTrue();
    }

    @Test
    void a_mistyped_spec_stops_the_boot_with_the_entry_it_could_not_read() {
        assertThatThrownBy(() -> LimitRules.parse("rpm=60")).isInstanceOf(ConfigException.class).hasMessageContaining("'rpm=60'");
        assertThatThrownBy(() -> LimitRules.parse("*:rpm=sixty")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("rpm for * must be a number, got 'sixty'");
        assertThatThrownBy(() -> LimitRules.parse("*:rps=5")).isInstanceOf(ConfigException.class).hasMessageContaining("unknown limit 'rps'");
        assertThatThrownBy(() -> LimitRules.parse("*:rpm=0")).isInstanceOf(ConfigException.class).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> LimitRules.parse("*:cny_day=-1")).isInstanceOf(ConfigException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> LimitRules.parse("*:rpm")).isInstanceOf(ConfigException.class).hasMessageContaining("name=value");
    }

    @Test
    void requests_per_minute_refuse_the_extra_call_until_the_oldest_is_a_minute_old() {
        Quotas quotas = quotas("*:rpm=3");
        for (int i = 0; i < 3; i++) {
            quotas.admit(call("alice"), QuotasTest.tokens(10)).join();
            time.advance(Duration.ofSeconds(10));
        }

        LimitExceeded refused = refusal(() -> quotas.admit(call("alice"), QuotasTest.tokens(10)).join());
        assertThat(refused.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(refused.retryAfter().orElseThrow().toSeconds()).as("the first call was 30 s ago").isEqualTo(30);
        assertThat(refused.getMessage()).contains("this user", "requests per minute (3)").doesNotContain("alice");

        quotas.admit(call("bob"), QuotasTest.tokens(10)).join();
        time.advance(Duration.ofSeconds(30));
        quotas.admit(call("alice"), QuotasTest.tokens(10)).join();
    }

    @Test
    void a_refused_call_is_not_counted_against_the_minute() {
        Quotas quotas = quotas("*:rpm=1");
        quotas.admit(call("alice"), QuotasTest.tokens(1)).join();
        for (int i = 0; i < 5; i++) {
            refusal(() -> quotas.admit(call("alice"), QuotasTest.tokens(1)).join());
        }
        time.advance(Duration.ofSeconds(60));

        quotas.admit(call("alice"), QuotasTest.tokens(1)).join();
    }

    @Test
    void tokens_per_minute_count_what_calls_used_and_check_the_next_calls_estimate() {
        Quotas quotas = quotas("*:tpm=1000");
        CallContext first = call("alice");
        quotas.admit(first, QuotasTest.tokens(5000)).join();
        quotas.charge(first, new Usage(700, 200, 0), Cost.ZERO);

        quotas.admit(call("alice"), QuotasTest.tokens(50)).join();
        LimitExceeded refused = refusal(() -> quotas.admit(call("alice"), QuotasTest.tokens(200)).join());
        assertThat(refused.getMessage()).contains("tokens per minute (1000)");

        time.advance(Duration.ofSeconds(61));
        quotas.admit(call("alice"), QuotasTest.tokens(200)).join();
    }

    @Test
    void a_spent_daily_budget_refuses_until_midnight_in_shanghai_and_the_monthly_one_until_the_first() {
        Quotas quotas = quotas("*:cny_day=1,cny_month=1.5");
        quotas.admit(call("alice"), QuotasTest.tokens(10)).join();
        quotas.charge(call("alice"), new Usage(10, 10, 0), new Cost(BigDecimal.ZERO, new BigDecimal("1.2")));

        LimitExceeded day = refusal(() -> quotas.admit(call("alice"), QuotasTest.tokens(10)).join());
        assertThat(day.kind()).isEqualTo(ErrorKind.INSUFFICIENT_QUOTA);
        assertThat(day.getMessage()).contains("daily budget of ¥1", "2026-12-01T00:00+08:00");
        assertThat(day.retryAfter().orElseThrow().toSeconds()).as("22:59 in Shanghai, 61 minutes to midnight").isEqualTo(3660);

        time.advanceTo(BEFORE_MIDNIGHT_SHANGHAI.plus(Duration.ofMinutes(1)).minusMillis(1));
        refusal(() -> quotas.admit(call("alice"), QuotasTest.tokens(10)).join());
        time.advanceTo(BEFORE_MIDNIGHT_SHANGHAI.plus(Duration.ofMinutes(1)));
        quotas.admit(call("alice"), QuotasTest.tokens(10)).join();
        assertThat(quotas.usage("alice").join().path("today").path("spent_cny").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void a_refusal_never_names_the_user_whose_id_may_be_a_phone_number_because_refusals_are_logged() {
        String phone = "13812345678";
        Quotas rpm = quotas("*:rpm=1");
        rpm.admit(call(phone), QuotasTest.tokens(10)).join();
        LimitExceeded rate = refusal(() -> rpm.admit(call(phone), QuotasTest.tokens(10)).join());
        assertThat(rate.getMessage()).contains("requests per minute (1)").doesNotContain(phone);

        Quotas budget = quotas("*:cny_day=1");
        budget.charge(call(phone), new Usage(10, 10, 0), new Cost(BigDecimal.ZERO, new BigDecimal("1.5")));
        LimitExceeded day = refusal(() -> budget.admit(call(phone), QuotasTest.tokens(10)).join());
        assertThat(day.getMessage()).contains("daily budget of ¥1").doesNotContain(phone);
        assertThat(String.join("\n", log)).doesNotContain(phone);
    }

    @Test
    void the_monthly_budget_outlasts_the_day() {
        time = new FakeTime(Instant.parse("2026-11-10T04:00:00Z"));
        Quotas quotas = quotas("*:cny_month=2");
        quotas.charge(call("alice"), new Usage(10, 10, 0), new Cost(BigDecimal.ZERO, new BigDecimal("2.0000001")));
        time.advance(Duration.ofDays(3));

        LimitExceeded month = refusal(() -> quotas.admit(call("alice"), QuotasTest.tokens(10)).join());
        assertThat(month.getMessage()).contains("monthly budget of ¥2", "2026-12-01T00:00+08:00");
        quotas.admit(call("bob"), QuotasTest.tokens(10)).join();
    }

    @Test
    void callers_without_a_user_share_the_star_counters_and_users_count_apart() {
        Quotas quotas = quotas("*:rpm=2");
        quotas.admit(call(null), QuotasTest.tokens(1)).join();
        quotas.admit(call(null), QuotasTest.tokens(1)).join();
        refusal(() -> quotas.admit(call(null), QuotasTest.tokens(1)).join());

        quotas.admit(call("alice"), QuotasTest.tokens(1)).join();
        quotas.admit(call("alice"), QuotasTest.tokens(1)).join();
    }

    @Test
    void the_platforms_nightly_batch_spends_neither_the_anonymous_budget_nor_its_limits() {
        Quotas quotas = quotas("*:rpm=2,cny_day=1");
        CallContext batch = new CallContext("b", "faq-batch", Caller.platform());
        for (int i = 0; i < 10; i++) {
            quotas.admit(batch, QuotasTest.tokens(10)).join();
            quotas.charge(batch, new Usage(10, 10, 0), new Cost(BigDecimal.ZERO, new BigDecimal("0.5")));
        }
        quotas.admit(call(null), QuotasTest.tokens(1)).join();
        assertThat(quotas.usage(Caller.EVERYONE).join().path("today").path("spent_cny").decimalValue()).isEqualByComparingTo("0");

        Quotas capped = quotas("*:rpm=2;platform:cny_day=1");
        capped.admit(batch, QuotasTest.tokens(10)).join();
        capped.charge(batch, new Usage(10, 10, 0), new Cost(BigDecimal.ZERO, new BigDecimal("1")));
        assertThat(refusal(() -> capped.admit(batch, QuotasTest.tokens(10)).join()).getMessage()).contains("daily budget", "platform");
    }

    @Test
    void with_a_budget_set_start_up_names_the_models_that_have_no_price() {
        quotas("*:rpm=5").warnUnpriced(List.of("deepseek-v3.2", "qwen-plus"), "configured");
        assertThat(log).as("no budget, nothing to warn about").isEmpty();

        quotas("*:cny_day=20").warnUnpriced(List.of("deepseek-v3.2", "qwen-plus", "*", "qwen-plus"), "listed by the upstreams");
        assertThat(log).singleElement().asString().contains("qwen-plus", "JINGNEI_PRICES", "JINGNEI_DEFAULT_PRICE", "listed by the upstreams", "WARN")
                .doesNotContain("deepseek-v3.2");
    }

    @Test
    void usage_reports_spend_and_what_is_left_of_each_limit() {
        Quotas quotas = quotas("*:rpm=10,tpm=1000,cny_day=5");
        CallContext alice = call("alice");
        quotas.admit(alice, QuotasTest.tokens(10)).join();
        quotas.charge(alice, new Usage(100, 20, 0), new Cost(BigDecimal.ZERO, new BigDecimal("0.25")));

        ObjectNode usage = quotas.usage("alice").join();

        assertThat(usage.path("user").asText()).isEqualTo("alice");
        assertThat(usage.path("today").path("spent_cny").decimalValue()).isEqualByComparingTo("0.25");
        assertThat(usage.path("today").path("remaining_cny").decimalValue()).isEqualByComparingTo("4.75");
        assertThat(usage.path("today").path("resets_at").asText()).isEqualTo("2026-12-01T00:00+08:00[Asia/Shanghai]");
        assertThat(usage.path("requests_per_minute").path("used").asInt()).isEqualTo(1);
        assertThat(usage.path("requests_per_minute").path("remaining").asInt()).isEqualTo(9);
        assertThat(usage.path("tokens_per_minute").path("used").asInt()).isEqualTo(120);
        assertThat(usage.path("month").has("budget_cny")).isFalse();
    }

    @Test
    void without_limits_nothing_is_counted_or_logged() {
        Quotas quotas = Quotas.from(Env.of(Map.of()), Optional.empty(), time, new CallLog(log::add), PRICING);
        for (int i = 0; i < 1000; i++) {
            quotas.admit(call("alice"), QuotasTest.tokens(100_000)).join();
        }
        assertThat(log).isEmpty();
    }

    /** What fifteen calls started at once did to a budget: how many ran, what they spent, how many were told to retry. */
    static final class Overshoot {
        int admitted;
        int refusedRate;
        double spentCny;
        double reservationCny;
    }

    /**
     * The attack of the security review: fifteen streams at once against a ¥0.01 budget, each of
     * which (max_tokens 1000 of deepseek-v3.2 at ¥1 a dollar: ¥0.00042 of output, plus its prompt)
     * spends ¥0.003 when it ends. All are admitted before any is charged, as concurrent calls are.
     */
    static Overshoot fifteenConcurrentCalls(Quotas quotas, String user) throws Exception {
        Overshoot result = new Overshoot();
        List<CallContext> admitted = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(15);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<?>> calls = new ArrayList<>();
        // ¥0.14/M in, ¥0.42/M out at ¥1 a dollar: 20,000 prompt tokens and 1,000 of answer reserve ¥0.00322.
        CallEstimate estimate = CallEstimate.of("deepseek-v3.2", 20_000, 1000);
        for (int i = 0; i < 15; i++) {
            calls.add(pool.submit(() -> {
                CallContext ctx = call(user);
                start.await();
                try {
                    quotas.admit(ctx, estimate).join();
                    admitted.add(ctx);
                } catch (CompletionException refused) {
                    if (((LimitExceeded) refused.getCause()).kind() == ErrorKind.RATE_LIMITED) {
                        synchronized (result) {
                            result.refusedRate++;
                        }
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (java.util.concurrent.Future<?> call : calls) {
            call.get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        pool.shutdown();
        for (CallContext ctx : admitted) {
            quotas.charge(ctx, new Usage(20_000, 1000, 0), new Cost(BigDecimal.ZERO, new BigDecimal("0.00322")));
        }
        result.admitted = admitted.size();
        result.reservationCny = 0.00322;
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        do {
            result.spentCny = quotas.usage(user).join().path("today").path("spent_cny").asDouble();
        } while (result.spentCny < 0.00322 * result.admitted - 1e-9 && System.nanoTime() < until);
        return result;
    }

    @Test
    void fifteen_concurrent_calls_cannot_spend_past_a_budget_by_more_than_one_reservation() throws Exception {
        Overshoot result = fifteenConcurrentCalls(quotas("*:cny_day=0.01"), "alice");

        assertThat(result.admitted).as("¥0.01 holds three reservations of ¥0.00322 and lets the fourth run alone no more").isEqualTo(3);
        assertThat(result.spentCny).isLessThanOrEqualTo(0.01 + result.reservationCny);
        assertThat(result.refusedRate).isEqualTo(12);
    }

    @Test
    void a_reservation_is_given_back_when_its_call_ends_without_a_charge_and_replaced_by_the_charge_when_it_has_one() {
        Quotas quotas = quotas("*:tpm=1000");
        CallContext cached = call("alice");
        quotas.admit(cached, CallEstimate.of(null, 100, 800)).join();
        LimitExceeded held = refusal(() -> quotas.admit(call("alice"), CallEstimate.of(null, 100, 800)).join());
        assertThat(held.retryAfter().orElseThrow().toSeconds()).as("held by a call in flight: it ends soon").isEqualTo(2);

        quotas.release(cached);
        CallContext answered = call("alice");
        quotas.admit(answered, CallEstimate.of(null, 100, 800)).join();
        quotas.charge(answered, new Usage(100, 50, 0), Cost.ZERO);

        quotas.admit(call("alice"), CallEstimate.of(null, 100, 700)).join();
    }

    @ParameterizedTest(name = "{0} with {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "*:cny_day=0.0001 | o1-pro        |                 | refused",
            "*:cny_day=0.0001 | deepseek-v3.2 |                 | admitted",
            "*:cny_day=0.0001 |               |                 | admitted",
            "*:rpm=100        | o1-pro        |                 | admitted",
            "*:cny_day=0.0001 | o1-pro        | 150/600         | admitted",
            "alice:rpm=5      | o1-pro        |                 | admitted",
    })
    void a_caller_with_a_budget_cannot_call_a_model_without_a_price(String spec, String model, String defaultPrice, String outcome) {
        PriceTable prices = new PriceTable(PriceTable.defaults(), BigDecimal.ONE,
                Optional.ofNullable(defaultPrice).map(p -> PriceTable.parsePrice(p, "JINGNEI_DEFAULT_PRICE")));
        Quotas quotas = new Quotas(LimitRules.parse(spec), new LocalLimitStore(), true, time, Optional.empty(), new CallLog(log::add),
                new Quotas.Pricing(prices, "deepseek-v3.2", m -> 32_768));
        CallEstimate million = CallEstimate.of(model, 1_000_000, null);
        if (outcome.equals("admitted")) {
            quotas.admit(call("alice"), million).join();
            return;
        }
        Throwable refused = catchThrowable(() -> quotas.admit(call("alice"), million).join());
        assertThat(refused).isInstanceOf(CompletionException.class).cause().isInstanceOfSatisfying(io.jingnei.core.error.JingneiException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
            assertThat(e.getMessage()).contains("'o1-pro'", "JINGNEI_PRICES", "JINGNEI_DEFAULT_PRICE");
            assertThat(e.param()).contains("model");
        });
    }

    @Test
    void a_model_without_its_own_price_is_charged_the_default_price() {
        PriceTable prices = new PriceTable(PriceTable.defaults(), BigDecimal.ONE, Optional.of(PriceTable.parsePrice("150/600", "x")));
        assertThat(prices.cost("o1-pro", new Usage(1_000_000, 0, 0)).cny).isEqualByComparingTo("150");
        assertThat(prices.cost("deepseek-v3.2", new Usage(1_000_000, 0, 0)).cny).isEqualByComparingTo("0.14");
        assertThat(prices.listed("o1-pro")).isFalse();
        assertThat(new PriceTable(PriceTable.defaults(), BigDecimal.ONE).cost("o1-pro", new Usage(1_000_000, 0, 0)).cny).isZero();
    }
}
