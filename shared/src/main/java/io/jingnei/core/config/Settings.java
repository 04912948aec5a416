package io.jingnei.core.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads of environment settings, each failing with a {@link ConfigException} that names the
 * variable and what it should be. The one way every settings class reads numbers, durations and
 * switches.
 */
public final class Settings {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*([KkMmGg])?");
    private Settings() {
    }

    public static int integer(Env env, String name, int fallback, int min, int max) {
        Optional<String> text = env.get(name);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.get());
            if (value < min || value > max) {
                throw new ConfigException(name + " must be between " + min + " and " + max + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, got '" + text.get() + "'");
        }
    }

    public static long longValue(Env env, String name, long fallback, long min, long max) {
        Optional<String> text = env.get(name);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text.get());
            if (value < min || value > max) {
                throw new ConfigException(name + " must be between " + min + " and " + max + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, got '" + text.get() + "'");
        }
    }

    /**
     * A size in bytes: a whole number, or one with K, M or G (powers of 1024), the forms Quarkus
     * accepts for the same setting ({@code quarkus.http.limits.max-body-size=${JINGNEI_MAX_BODY_BYTES:8M}}).
     */
    public static long bytes(Env env, String name, long fallback, long min, long max) {
        Optional<String> text = env.get(name);
        if (text.isEmpty()) {
            return fallback;
        }
        Matcher m = SIZE.matcher(text.get().trim());
        if (!m.matches()) {
            throw new ConfigException(name + " must be a size in bytes such as 8388608 or 8M (K, M, G), got '" + text.get() + "'");
        }
        long value = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toUpperCase(Locale.ROOT);
        int shift = unit.isEmpty() ? 0 : unit.equals("K") ? 10 : unit.equals("M") ? 20 : 30;
        if (value > (max >> shift) + 1 || (value << shift) < min || (value << shift) > max) {
            throw new ConfigException(name + " must be between " + min + " and " + max + " bytes, got '" + text.get() + "'");
        }
        return value << shift;
    }

    public static double number(Env env, String name, double fallback, double min, double max) {
        Optional<String> text = env.get(name);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            double value = Double.parseDouble(text.get());
            if (!(value >= min && value <= max)) {
                throw new ConfigException(name + " must be between " + min + " and " + max + ", got " + text.get());
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a number, got '" + text.get() + "'");
        }
    }

    public static BigDecimal positiveDecimal(Env env, String name, String fallback) {
        String text = env.get(name).orElse(fallback);
        try {
            BigDecimal value = new BigDecimal(text);
            if (value.signum() <= 0) {
                throw new ConfigException(name + " must be positive, got " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a number, got '" + text + "'");
        }
    }

    /** A positive duration: 500ms, 30s, 2m, 1h, PT30S or bare seconds. */
    public static Duration duration(Env env, String name, String fallback) {
        Duration d = Durations.parse(name, env.get(name).orElse(fallback));
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException(name + " must be positive");
        }
        return d;
    }

    public static boolean bool(Env env, String name, boolean fallback) {
        Optional<String> text = env.get(name);
        if (text.isEmpty()) {
            return fallback;
        }
        switch (text.get().toLowerCase(Locale.ROOT)) {
            case "true": case "1": case "yes": case "on": return true;
            case "false": case "0": case "no": case "off": return false;
            default: throw new ConfigException(name + " must be true or false, got '" + text.get() + "'");
        }
    }

    /** One of {@code choices} (case-insensitive), returned lower-case. */
    public static String choice(Env env, String name, String fallback, String... choices) {
        String value = env.get(name).orElse(fallback).toLowerCase(Locale.ROOT);
        for (String choice : choices) {
            if (choice.equals(value)) {
                return value;
            }
        }
        throw new ConfigException(name + " must be one of " + String.join(", ", choices) + ", got '" + value + "'");
    }

    /** A comma-separated list, trimmed, blanks dropped. */
    public static List<String> list(Env env, String name) {
        List<String> out = new ArrayList<>();
        for (String item : env.get(name).orElse("").split(",")) {
            if (!item.trim().isEmpty()) {
                out.add(item.trim());
            }
        }
        return out;
    }
}
