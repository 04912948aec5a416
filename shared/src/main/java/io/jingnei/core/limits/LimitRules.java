package io.jingnei.core.limits;

import io.jingnei.core.auth.Caller;
import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-user limits, {@code JINGNEI_LIMITS="*:rpm=60,tpm=200000,cny_day=20;alice:rpm=5;vip:cny_month=5000"}.
 * A user's own entry overrides the {@code *} entry limit by limit and inherits the rest; every
 * user is counted on their own, and callers without a user id share the {@code *} counters. The
 * platform's own events (object-created, timer) count under {@code platform}, limited only by a
 * {@code platform:} entry.
 */
public final class LimitRules {
    /** One user's limits; null fields are unlimited. */
    public static final class Limits {
        public final Integer rpm;
        public final Integer tpm;
        public final BigDecimal cnyDay;
        public final BigDecimal cnyMonth;

        Limits(Integer rpm, Integer tpm, BigDecimal cnyDay, BigDecimal cnyMonth) {
            this.rpm = rpm;
            this.tpm = tpm;
            this.cnyDay = cnyDay;
            this.cnyMonth = cnyMonth;
        }

        public boolean none() {
            return rpm == null && tpm == null && cnyDay == null && cnyMonth == null;
        }

        Limits over(Limits defaults) {
            return new Limits(rpm != null ? rpm : defaults.rpm, tpm != null ? tpm : defaults.tpm,
                    cnyDay != null ? cnyDay : defaults.cnyDay, cnyMonth != null ? cnyMonth : defaults.cnyMonth);
        }
    }

    private static final Limits UNLIMITED = new Limits(null, null, null, null);
    private final Map<String, Limits> byUser;

    private LimitRules(Map<String, Limits> byUser) {
        this.byUser = byUser;
    }

    public static LimitRules from(Env env) {
        return parse(env.get("JINGNEI_LIMITS").orElse(""));
    }

    static LimitRules parse(String spec) {
        Map<String, Limits> rules = new LinkedHashMap<>();
        for (String entry : spec.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw bad("'" + entry.trim() + "' must look like user:rpm=60,tpm=200000");
            }
            String user = entry.substring(0, colon).trim();
            Integer rpm = null;
            Integer tpm = null;
            BigDecimal day = null;
            BigDecimal month = null;
            for (String limit : entry.substring(colon + 1).split(",")) {
                String[] kv = limit.trim().split("=", 2);
                if (kv.length != 2) {
                    throw bad("'" + limit.trim() + "' for " + user + " must be name=value");
                }
                try {
                    switch (kv[0].trim()) {
                        case "rpm": rpm = positiveInt(kv[1], user, "rpm"); break;
                        case "tpm": tpm = positiveInt(kv[1], user, "tpm"); break;
                        case "cny_day": day = positiveDecimal(kv[1], user, "cny_day"); break;
                        case "cny_month": month = positiveDecimal(kv[1], user, "cny_month"); break;
                        default: throw bad("unknown limit '" + kv[0].trim() + "' for " + user + "; use rpm, tpm, cny_day, cny_month");
                    }
                } catch (NumberFormatException e) {
                    throw bad(kv[0].trim() + " for " + user + " must be a number, got '" + kv[1].trim() + "'");
                }
            }
            rules.put(user, new Limits(rpm, tpm, day, month));
        }
        return new LimitRules(Collections.unmodifiableMap(rules));
    }

    /** The limits for a caller: their own entry over the {@code *} entry; the platform's events only by their own. */
    public Limits of(String limitKey) {
        Limits own = byUser.get(limitKey);
        if (limitKey.equals(Caller.PLATFORM)) {
            return own == null ? UNLIMITED : own;
        }
        Limits everyone = byUser.getOrDefault(Caller.EVERYONE, UNLIMITED);
        return own == null ? everyone : own.over(everyone);
    }

    /** Whether some entry sets a CNY budget: then every model needs a price. */
    public boolean anyBudget() {
        return byUser.values().stream().anyMatch(l -> l.cnyDay != null || l.cnyMonth != null);
    }

    public boolean any() {
        return byUser.values().stream().anyMatch(l -> !l.none());
    }

    private static int positiveInt(String text, String user, String name) {
        int value = Integer.parseInt(text.trim());
        if (value < 1) {
            throw bad(name + " for " + user + " must be at least 1");
        }
        return value;
    }

    private static BigDecimal positiveDecimal(String text, String user, String name) {
        BigDecimal value = new BigDecimal(text.trim());
        if (value.signum() <= 0) {
            throw bad(name + " for " + user + " must be positive");
        }
        return value;
    }

    private static ConfigException bad(String message) {
        return new ConfigException("JINGNEI_LIMITS: " + message);
    }
}
