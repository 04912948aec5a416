package io.jingnei.core.limits;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.call.CallEstimate;
import io.jingnei.core.call.Metering;
import io.jingnei.core.config.Env;
import io.jingnei.core.config.Settings;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.error.RetryAfter;
import io.jingnei.core.stream.ObservedPublisher;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.llm.Upstream;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.pricing.Cost;
import io.jingnei.core.pricing.PriceTable;
import io.jingnei.core.pricing.Usage;
import io.jingnei.core.redis.Redis;
import io.jingnei.core.util.TimeSource;

import java.math.BigDecimal;
import java.time.Duration;
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
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.function.ToIntFunction;

/**
 * Per-user limits and budgets ({@code JINGNEI_LIMITS}), counted in Redis when configured (exact
 * across instances) or per instance. A call is admitted before it runs: requests per minute are
 * counted then, and it reserves what it may use (see {@link CallEstimate}) against tokens per
 * minute and the budgets, on top of what calls in flight hold. What it actually used is charged
 * when it ends (a stream when its last chunk is through), replacing the reservation, so calls
 * running at once overshoot a budget by at most one call's reservation and a stream is never cut.
 * A caller with a budget cannot call a model without a price. When Redis cannot be
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
    private final TimeSource time;
    private final Optional<Redis> redis;
    private final CallLog log;
    private final Pricing pricing;

    /** How calls are priced for reservations: the price table, the default model, each model's output limit. */
    public static final class Pricing {
        final PriceTable prices;
        final String defaultModel;
        final ToIntFunction<String> outputLimit;

        public Pricing(PriceTable prices, String defaultModel, ToIntFunction<String> outputLimit) {
            this.prices = prices;
            this.defaultModel = defaultModel;
            this.outputLimit = outputLimit;
        }
    }

    /** When calls in flight hold what is left of a limit: they end within seconds, most of them. */
    static final long HELD_RETRY_MILLIS = 2000;
    /** A hold outlives any call (streams included); one never settled (a frozen instance) frees itself then. */
    static final long HOLD_MILLIS = 15 * 60_000L;

    Quotas(LimitRules rules, LimitStore store, boolean failOpen, TimeSource time, Optional<Redis> redis, CallLog log, Pricing pricing) {
        this.rules = rules;
        this.store = store;
        this.failOpen = failOpen;
        this.time = time;
        this.redis = redis;
        this.log = log;
        this.pricing = pricing;
    }

    public static Quotas from(Env env, Optional<Redis> redis, TimeSource time, CallLog log, Pricing pricing) {
        LimitRules rules = LimitRules.from(env);
        boolean failOpen = Settings.choice(env, "JINGNEI_LIMITS_ON_REDIS_ERROR", "open", "open", "closed").equals("open");
        LimitStore store = redis.<LimitStore>map(RedisLimitStore::new).orElseGet(LocalLimitStore::new);
        Quotas quotas = new Quotas(rules, store, failOpen, time, redis, log, pricing);
        if (rules.any()) {
            log.event("limits are counted " + store.describe(), Map.of("on_redis_error", failOpen ? "open" : "closed"));
        }
        return quotas;
    }

    /**
     * Budgets count the price table's cost, so callers with a budget are refused a model without a
     * price, and a fallback without one would answer for free: said at start-up, naming the models
     * it can see ({@code where}: the configuration, or an upstream's model list once fetched).
     */
    public void warnUnpriced(Collection<String> models, String where) {
        if (!rules.anyBudget()) {
            return;
        }
        List<String> unpriced = new ArrayList<>();
        for (String model : models) {
            if (!model.equals(Upstream.ANY_MODEL) && pricing.prices.priceOf(model).isEmpty() && !unpriced.contains(model)) {
                unpriced.add(model);
            }
        }
        if (!unpriced.isEmpty()) {
            log.event("models without a price (" + where + "): callers with a CNY budget in JINGNEI_LIMITS are refused them, "
                    + "and as fallbacks they answer for free: " + String.join(", ", unpriced) + "; price them in JINGNEI_PRICES or set "
                    + PriceTable.DEFAULT_PRICE_SETTING, Map.of("level_hint", "WARN"));
        }
    }

    /**
     * Admits a call, reserving what it may use until it is charged or released (see
     * {@link #releasingAtEnd}), or fails with {@link LimitExceeded}, or with {@code invalid_request}
     * when a caller with a budget asks for a model without a price. Never fails because Redis is
     * down when failing open.
     */
    public CompletableFuture<Void> admit(CallContext ctx, CallEstimate estimate) {
        String user = ctx.caller.limitKey();
        LimitRules.Limits limits = rules.of(user);
        if (limits.none()) {
            return CompletableFuture.completedFuture(null);
        }
        boolean budgeted = limits.cnyDay != null || limits.cnyMonth != null;
        String model = estimate.model == null || estimate.model.isBlank() ? pricing.defaultModel : estimate.model;
        if (budgeted && estimate.paid && pricing.prices.priceOf(model).isEmpty()) {
            return CompletableFuture.failedFuture(unpriced(model, user));
        }
        long nanoCny = budgeted && estimate.paid ? pricing.prices.nanoCnyAtMost(model, estimate.promptTokens,
                estimate.outputAtMost(pricing.outputLimit.applyAsInt(model))) : 0;
        ZonedDateTime now = time.now().atZone(SHANGHAI);
        long nowMillis = time.currentTimeMillis();
        Reservation hold = new Reservation(user, holdId(), estimate.rateTokens(), nanoCny, nowMillis + HOLD_MILLIS);
        return store.admit(limits, nowMillis, hold, DAY.format(now), MONTH.format(now)).handle((admission, error) -> {
            if (error != null) {
                storeFailed(error);
                return null;
            }
            if (admission.outcome != Admission.Outcome.ALLOWED) {
                throw refusal(admission, user, limits, nanoCny, now);
            }
            ctx.hold(hold);
            return null;
        });
    }

    private JingneiException unpriced(String model, String user) {
        return new JingneiException(ErrorKind.INVALID_REQUEST, "model '" + model
                + "' has no price, and calls of " + whose(user) + " are limited by a CNY budget (JINGNEI_LIMITS); the operator "
                + "can price it in JINGNEI_PRICES or set " + PriceTable.DEFAULT_PRICE_SETTING).about("model");
    }

    /** The store could not answer: logged, then the call goes ahead (fail open) or is refused for now. */
    private void storeFailed(Throwable error) {
        redis.ifPresent(r -> r.logFailure(error, failOpen ? "limits not enforced (JINGNEI_LIMITS_ON_REDIS_ERROR=open)"
                : "calls refused (JINGNEI_LIMITS_ON_REDIS_ERROR=closed)"));
        if (!failOpen) {
            throw new LimitExceeded(ErrorKind.RATE_LIMITED, "limits cannot be checked right now; try again shortly", 5);
        }
    }

    /** What the caller is told when the store refused: which limit, and when to try again. */
    private LimitExceeded refusal(Admission admission, String user, LimitRules.Limits limits, long nanoCny, ZonedDateTime now) {
        switch (admission.outcome) {
            case RPM:
                return rate(user, "requests per minute (" + limits.rpm + ")", admission.retryAfter);
            case TPM:
                return rate(user, "tokens per minute (" + limits.tpm + ")", admission.retryAfter);
            case HELD_DAY:
            case HELD_MONTH:
                return rate(user, "calls in flight have reserved what is left of the " + (admission.outcome == Admission.Outcome.HELD_DAY
                        ? "daily budget (cny_day" : "monthly budget (cny_month") + ", this call's reservation is ¥"
                        + BigDecimal.valueOf(nanoCny).movePointLeft(9).stripTrailingZeros().toPlainString() + "; max_tokens lowers it)",
                        admission.retryAfter);
            case BUDGET_DAY:
                return new LimitExceeded(ErrorKind.INSUFFICIENT_QUOTA, "the daily budget of ¥" + limits.cnyDay.toPlainString()
                        + " for " + whose(user) + " is used up (cny_day in JINGNEI_LIMITS); it resets at " + nextDay(now), secondsUntil(nextDay(now)));
            default:
                return new LimitExceeded(ErrorKind.INSUFFICIENT_QUOTA, "the monthly budget of ¥" + limits.cnyMonth.toPlainString()
                        + " for " + whose(user) + " is used up (cny_month in JINGNEI_LIMITS); it resets at " + nextMonth(now),
                        secondsUntil(nextMonth(now)));
        }
    }

    /** What a call used, charged to its caller, settling its reservation; failures are logged (limits fail open for charges). */
    @Override
    public void charge(CallContext ctx, Usage usage, Cost cost) {
        String user = ctx.caller.limitKey();
        Reservation hold = (Reservation) ctx.takeHold(); // only Quotas.admit holds
        if (usage == null) {
            release(hold);
            return;
        }
        if (rules.of(user).none()) {
            return;
        }
        ZonedDateTime now = time.now().atZone(SHANGHAI);
        store.charge(user, time.currentTimeMillis(), usage.totalTokens, cost == null ? 0 : nano(cost), DAY.format(now), MONTH.format(now),
                        hold == null ? null : hold.id)
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        redis.ifPresent(r -> r.logFailure(error, "a call's usage was not counted"));
                    }
                });
    }

    /** A call that has ended gives back what it still holds (nothing when its charge settled it already). */
    public CompletableFuture<Void> release(CallContext ctx) {
        return release((Reservation) ctx.takeHold());
    }

    private CompletableFuture<Void> release(Reservation hold) {
        if (hold == null) {
            return CompletableFuture.completedFuture(null);
        }
        return store.release(hold.user, hold.id).handle((ok, error) -> {
            if (error != null) {
                redis.ifPresent(r -> r.logFailure(error, "a call's reservation was not given back (it expires on its own)"));
            }
            return null;
        });
    }

    /** A whole answer's future that gives back the call's reservation when it is done, however it ends. */
    public <T> CompletableFuture<T> releasingWhenDone(CallContext ctx, CompletableFuture<T> call) {
        return call.whenComplete((result, error) -> release(ctx));
    }

    /**
     * A stream that gives back the call's reservation when it ends (completed, failed or cancelled),
     * or when it fails before it starts. Its charge, when it has one, settles the reservation first.
     */
    public <T> CompletableFuture<Flow.Publisher<T>> releasingAtEnd(CallContext ctx, CompletableFuture<Flow.Publisher<T>> stream) {
        return stream.handle((chunks, error) -> {
            if (error != null) {
                release(ctx);
                throw error instanceof CompletionException ? (CompletionException) error : new CompletionException(error);
            }
            return (Flow.Publisher<T>) new ObservedPublisher<>(chunks, new ObservedPublisher.Observer<T>() {
                @Override
                public T onItem(T item) {
                    return item;
                }

                @Override
                public void onEnd(Throwable failure, boolean cancelled) {
                    release(ctx);
                }
            });
        });
    }

    /** Unique among one user's holds; not a secret, so no SecureRandom on the admission path. */
    private static String holdId() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        return Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
    }

    private static long nano(Cost cost) {
        return cost.cny.movePointRight(9).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }

    /** {@code GET /v1/usage}: a user's spend and what is left of each limit. */
    public CompletableFuture<ObjectNode> usage(String user) {
        LimitRules.Limits limits = rules.of(user);
        ZonedDateTime now = time.now().atZone(SHANGHAI);
        return store.spend(user, time.currentTimeMillis(), DAY.format(now), MONTH.format(now)).thenApply(spend -> {
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

    private static LimitExceeded rate(String user, String limit, Duration retryAfter) {
        long seconds = RetryAfter.seconds(retryAfter);
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
        return Math.max(1, at.toEpochSecond() - time.currentTimeMillis() / 1000);
    }
}
