package io.jingnei.core.limits;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.config.Env;
import io.jingnei.core.config.Settings;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.llm.CallContext;
import io.jingnei.core.llm.Upstream;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.pricing.Cost;
import io.jingnei.core.pricing.PriceTable;
import io.jingnei.core.pricing.Usage;
import io.jingnei.core.redis.Redis;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Per-user limits and budgets ({@code JINGNEI_LIMITS}), counted in Redis when configured (exact
 * across instances) or per instance. A call is admitted before it runs: requests per minute are
 * counted then, tokens per minute are checked against an estimate, budgets against the spend so
 * far. What it actually used is charged when it ends (a stream when its last chunk is through), so
 * one call may overshoot a budget by its own cost and a stream is never cut. When Redis cannot be
 * reached, calls go through ({@code JINGNEI_LIMITS_ON_REDIS_ERROR=open}, the default) or are
 * refused ({@code closed}), and that is logged at most once a minute.
 */
public final class Quotas implements Metering {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyyMM");

    private final LimitRules rules;
    private final LimitStore store;
    private final boolean failOpen;
    private final Clock clock;
    private final Optional<Redis> redis;
    private final CallLog log;

    Quotas(LimitRules rules, LimitStore store, boolean failOpen, Clock clock, Optional<Redis> redis, CallLog log) {
        this.rules = rules;
        this.store = store;
        this.failOpen = failOpen;
        this.clock = clock;
        this.redis = redis;
        this.log = log;
    }

    public static Quotas from(Env env, Optional<Redis> redis, Clock clock, CallLog log) {
        LimitRules rules = LimitRules.from(env);
        boolean failOpen = Settings.choice(env, "JINGNEI_LIMITS_ON_REDIS_ERROR", "open", "open", "closed").equals("open");
        LimitStore store = redis.<LimitStore>map(RedisLimitStore::new).orElseGet(LocalLimitStore::new);
        Quotas quotas = new Quotas(rules, store, failOpen, clock, redis, log);
        if (rules.any()) {
            log.event("limits are counted " + store.describe(), Map.of("on_redis_error", failOpen ? "open" : "closed"));
        }
        return quotas;
    }

    /**
     * Budgets count the price table's cost, so a model without a price (say a fallback added to the
     * upstream list) would be free for them: said once at start-up, naming the models.
     */
    public void warnUnpriced(Collection<String> models, PriceTable prices) {
        if (!rules.anyBudget()) {
            return;
        }
        List<String> unpriced = new ArrayList<>();
        for (String model : models) {
            if (!model.equals(Upstream.ANY_MODEL) && prices.priceOf(model).isEmpty() && !unpriced.contains(model)) {
                unpriced.add(model);
            }
        }
        if (!unpriced.isEmpty()) {
            log.event("models without a price cost nothing against the CNY budgets of JINGNEI_LIMITS: " + String.join(", ", unpriced)
                    + "; give them one in JINGNEI_PRICES", Map.of("level_hint", "WARN"));
        }
    }

    /** Admits a call or fails with {@link LimitExceeded}; never fails because Redis is down when failing open. */
    public CompletableFuture<Void> admit(CallContext ctx, long estimatedTokens) {
        String user = ctx.caller.limitKey();
        LimitRules.Limits limits = rules.of(user);
        if (limits.none()) {
            return CompletableFuture.completedFuture(null);
        }
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(SHANGHAI));
        long nowMillis = clock.millis();
        return store.admit(user, limits, nowMillis, estimatedTokens, DAY.format(now), MONTH.format(now)).handle((admission, error) -> {
            if (error != null) {
                redis.ifPresent(r -> r.logFailure(error, failOpen ? "limits not enforced (JINGNEI_LIMITS_ON_REDIS_ERROR=open)"
                        : "calls refused (JINGNEI_LIMITS_ON_REDIS_ERROR=closed)"));
                if (failOpen) {
                    return null;
                }
                throw new LimitExceeded(ErrorKind.RATE_LIMITED, "limits cannot be checked right now; try again shortly", 5);
            }
            switch (admission.outcome) {
                case ALLOWED:
                    return null;
                case RPM:
                    throw rate(user, "requests per minute (" + limits.rpm + ")", admission.retryAfterMillis);
                case TPM:
                    throw rate(user, "tokens per minute (" + limits.tpm + ")", admission.retryAfterMillis);
                case BUDGET_DAY:
                    throw new LimitExceeded(ErrorKind.INSUFFICIENT_QUOTA, "the daily budget of ¥" + limits.cnyDay.toPlainString()
                            + " for " + whose(user) + " is used up (cny_day in JINGNEI_LIMITS); it resets at " + nextDay(now), secondsUntil(nextDay(now)));
                default:
                    throw new LimitExceeded(ErrorKind.INSUFFICIENT_QUOTA, "the monthly budget of ¥" + limits.cnyMonth.toPlainString()
                            + " for " + whose(user) + " is used up (cny_month in JINGNEI_LIMITS); it resets at " + nextMonth(now),
                            secondsUntil(nextMonth(now)));
            }
        });
    }

    /** What a call used, charged to its caller; failures are logged (limits fail open for charges). */
    @Override
    public void charge(CallContext ctx, Usage usage, Cost cost) {
        String user = ctx.caller.limitKey();
        if (rules.of(user).none() || usage == null) {
            return;
        }
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(SHANGHAI));
        long nano = cost == null ? 0 : cost.cny.movePointRight(9).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
        store.charge(user, clock.millis(), usage.totalTokens, nano, DAY.format(now), MONTH.format(now))
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        redis.ifPresent(r -> r.logFailure(error, "a call's usage was not counted"));
                    }
                });
    }

    /** {@code GET /v1/usage}: a user's spend and what is left of each limit. */
    public CompletableFuture<ObjectNode> usage(String user) {
        LimitRules.Limits limits = rules.of(user);
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(SHANGHAI));
        return store.spend(user, clock.millis(), DAY.format(now), MONTH.format(now)).thenApply(spend -> {
            ObjectNode out = JsonNodeFactory.instance.objectNode().put("object", "usage").put("user", user);
            budget(out.putObject("today"), spend.dayNanoCny, limits.cnyDay).put("resets_at", nextDay(now).toString());
            budget(out.putObject("month"), spend.monthNanoCny, limits.cnyMonth).put("resets_at", nextMonth(now).toString());
            rate(out.putObject("requests_per_minute"), spend.requestsLastMinute, limits.rpm);
            rate(out.putObject("tokens_per_minute"), spend.tokensLastMinute, limits.tpm);
            return out;
        });
    }

    private static ObjectNode budget(ObjectNode node, long spentNano, BigDecimal limit) {
        BigDecimal spent = BigDecimal.valueOf(spentNano).movePointLeft(9).stripTrailingZeros();
        node.put("spent_cny", spent);
        if (limit != null) {
            node.put("budget_cny", limit);
            node.put("remaining_cny", limit.subtract(spent).max(BigDecimal.ZERO).stripTrailingZeros());
        }
        return node;
    }

    private static void rate(ObjectNode node, long used, Integer limit) {
        node.put("used", used);
        if (limit != null) {
            node.put("limit", limit);
            node.put("remaining", Math.max(0, limit - used));
        }
    }

    /**
     * Who a refusal is about, without naming a user: a user id may be a phone number or an e-mail
     * address, and refusals are logged. The platform's events and anonymous callers are labels, not people.
     */
    private static String whose(String user) {
        if (Caller.PLATFORM.equals(user)) {
            return "the platform's events";
        }
        return Caller.EVERYONE.equals(user) ? "anonymous callers" : "this user";
    }

    private static LimitExceeded rate(String user, String limit, long retryAfterMillis) {
        long seconds = Math.max(1, (retryAfterMillis + 999) / 1000);
        return new LimitExceeded(ErrorKind.RATE_LIMITED, "rate limit for " + whose(user) + " reached: " + limit
                + " (JINGNEI_LIMITS); retry in " + seconds + " s", seconds);
    }

    private static ZonedDateTime nextDay(ZonedDateTime now) {
        return now.toLocalDate().plusDays(1).atStartOfDay(SHANGHAI);
    }

    private static ZonedDateTime nextMonth(ZonedDateTime now) {
        LocalDate first = now.toLocalDate().withDayOfMonth(1).plusMonths(1);
        return first.atStartOfDay(SHANGHAI);
    }

    private long secondsUntil(ZonedDateTime at) {
        return Math.max(1, at.toEpochSecond() - clock.millis() / 1000);
    }
}
