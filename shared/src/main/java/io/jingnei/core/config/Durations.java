package io.jingnei.core.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the duration forms people write in environment variables: 500ms, 30s, 2m, 1h, PT5S, or bare seconds. */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private Durations() {
    }

    public static Duration parse(String name, String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("pt") || value.startsWith("p")) {
            try {
                return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw invalid(name, text);
            }
        }
        Matcher m = SHORT.matcher(value);
        if (!m.matches()) {
            throw invalid(name, text);
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis;
        switch (unit) {
            case "ms": millis = amount; break;
            case "m": millis = amount * 60_000; break;
            case "h": millis = amount * 3_600_000; break;
            default: millis = amount * 1000;
        }
        return Duration.ofMillis(Math.round(millis));
    }

    private static ConfigException invalid(String name, String text) {
        return new ConfigException(name + " must be a duration such as 500ms, 30s, 2m or PT30S, got '" + text + "'");
    }
}
