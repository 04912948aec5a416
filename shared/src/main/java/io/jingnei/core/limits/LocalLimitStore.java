package io.jingnei.core.limits;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits counted in this instance's memory (no JINGNEI_REDIS_URL): the same rules as the Redis
 * store, but per instance, so with several instances each allows the full limit. Start-up says so.
 */
final class LocalLimitStore implements LimitStore {
    private final Map<String, Counters> users = new ConcurrentHashMap<>();

    private static final class Counters {
        final ArrayDeque<Long> requests = new ArrayDeque<>();
        final TreeMap<Long, Long> tokensBySecond = new TreeMap<>();
        final Map<String, Long> spend = new HashMap<>();
        final Map<String, Reservation> holds = new HashMap<>();
    }

    private Counters of(String user) {
        return users.computeIfAbsent(user, u -> new Counters());
    }

    @Override
    public CompletableFuture<Admission> admit(LimitRules.Limits limits, long nowMillis, Reservation hold, String day, String month) {
        Counters c = of(hold.user);
        synchronized (c) {
            c.holds.values().removeIf(h -> h.expiresAtMillis <= nowMillis);
            long heldNano = 0;
            long heldTokens = 0;
            for (Reservation h : c.holds.values()) {
                heldNano += h.nanoCny;
                heldTokens += h.tokens;
            }
            Admission budget = budget(limits, c.spend.getOrDefault(day, 0L), c.spend.getOrDefault(month, 0L), heldNano, hold.nanoCny);
            if (budget != null) {
                return done(budget);
            }
            long second = nowMillis / 1000;
            c.tokensBySecond.headMap(second - 59).clear();
            if (limits.tpm != null) {
                long used = c.tokensBySecond.values().stream().mapToLong(Long::longValue).sum();
                if (used + heldTokens > 0 && used + heldTokens + hold.tokens > limits.tpm) {
                    boolean windowAlone = used > 0 && used + hold.tokens > limits.tpm;
                    return done(new Admission(Admission.Outcome.TPM, windowAlone ? (c.tokensBySecond.firstKey() + 60 - second) * 1000
                            : Quotas.HELD_RETRY_MILLIS));
                }
            }
            while (!c.requests.isEmpty() && c.requests.peekFirst() <= nowMillis - 60_000) {
                c.requests.pollFirst();
            }
            if (limits.rpm != null) {
                if (c.requests.size() >= limits.rpm) {
                    return done(new Admission(Admission.Outcome.RPM, c.requests.peekFirst() + 60_000 - nowMillis));
                }
                c.requests.addLast(nowMillis);
            }
            if (hold.tokens > 0 || hold.nanoCny > 0) {
                c.holds.put(hold.id, hold);
            }
            return done(Admission.ALLOWED);
        }
    }

    /** The budget rule of {@link LimitStore}, for one period's spend and what is held. */
    static Admission budget(LimitRules.Limits limits, long spentDay, long spentMonth, long held, long reserving) {
        long day = limits.cnyDay == null ? -1 : Long.parseLong(RedisLimitStore.nano(limits.cnyDay));
        long month = limits.cnyMonth == null ? -1 : Long.parseLong(RedisLimitStore.nano(limits.cnyMonth));
        if (day >= 0 && spentDay >= day) {
            return new Admission(Admission.Outcome.BUDGET_DAY, 0);
        }
        if (month >= 0 && spentMonth >= month) {
            return new Admission(Admission.Outcome.BUDGET_MONTH, 0);
        }
        if (day >= 0 && held > 0 && spentDay + held + reserving > day) {
            return new Admission(Admission.Outcome.HELD_DAY, Quotas.HELD_RETRY_MILLIS);
        }
        if (month >= 0 && held > 0 && spentMonth + held + reserving > month) {
            return new Admission(Admission.Outcome.HELD_MONTH, Quotas.HELD_RETRY_MILLIS);
        }
        return null;
    }

    @Override
    public CompletableFuture<Void> charge(String user, long nowMillis, long tokens, long nanoCny, String day, String month, String holdId) {
        Counters c = of(user);
        synchronized (c) {
            if (holdId != null) {
                c.holds.remove(holdId);
            }
            c.tokensBySecond.merge(nowMillis / 1000, tokens, Long::sum);
            c.spend.merge(day, nanoCny, Long::sum);
            c.spend.merge(month, nanoCny, Long::sum);
            // Only today's and this month's spend matter: drop the other periods.
            c.spend.keySet().removeIf(period -> !period.equals(day) && !period.equals(month));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> release(String user, String holdId) {
        Counters c = of(user);
        synchronized (c) {
            c.holds.remove(holdId);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Spend> spend(String user, long nowMillis, String day, String month) {
        Counters c = of(user);
        synchronized (c) {
            long second = nowMillis / 1000;
            long tokens = c.tokensBySecond.tailMap(second - 59).values().stream().mapToLong(Long::longValue).sum();
            long requests = c.requests.stream().filter(t -> t > nowMillis - 60_000).count();
            return done(new Spend(c.spend.getOrDefault(day, 0L), c.spend.getOrDefault(month, 0L), requests, tokens));
        }
    }

    @Override
    public String describe() {
        return "per instance (no JINGNEI_REDIS_URL): each instance allows the full limits";
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
