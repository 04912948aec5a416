package io.jingnei.core.pii;

import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads the {@code JINGNEI_PII*} settings. A malformed one is a ConfigException naming its variable. */
final class PiiSettings {
    static final String MODE = "JINGNEI_PII";
    static final String KINDS = "JINGNEI_PII_KINDS";
    static final String PATTERNS = "JINGNEI_PII_PATTERNS";

    /** A name ending in a digit would make placeholders ambiguous: is [emp21] emp2's first or emp's 21st? */
    private static final Pattern PATTERN_NAME = Pattern.compile("[A-Za-z0-9_]*[A-Za-z_]");
    /** Entries split only at a comma followed by {@code name=}, so a regex may hold commas ({@code \d{3,5}}). */
    private static final Pattern ENTRY_SEPARATOR = Pattern.compile(",(?=\\s*[A-Za-z0-9_]+\\s*=)");

    private PiiSettings() {
    }

    static PiiMode mode(Env env) {
        String value = env.get(MODE).orElse("mask");
        for (PiiMode mode : PiiMode.values()) {
            if (mode.name().equalsIgnoreCase(value)) {
                return mode;
            }
        }
        throw new ConfigException(MODE + " must be one of mask, block, off, got '" + value + "'");
    }

    /** {@code phone,id,card}; absent means every built-in kind. Returned in priority order. */
    static Set<PiiKind> kinds(Env env) {
        Optional<String> list = env.get(KINDS);
        if (!list.isPresent()) {
            return EnumSet.allOf(PiiKind.class);
        }
        Set<PiiKind> kinds = EnumSet.noneOf(PiiKind.class);
        for (String name : list.get().split(",")) {
            if (!name.isBlank()) {
                kinds.add(kindNamed(name.trim().toLowerCase(Locale.ROOT)));
            }
        }
        return kinds;
    }

    /** {@code name=regex,name2=regex2}; matches must be delimited like the built-in kinds. */
    static List<Detector> customPatterns(Env env) {
        List<Detector> detectors = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (String entry : ENTRY_SEPARATOR.split(env.get(PATTERNS).orElse(""))) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            String name = equals < 0 ? "" : entry.substring(0, equals).trim();
            String regex = equals < 0 ? "" : entry.substring(equals + 1).trim();
            if (!PATTERN_NAME.matcher(name).matches() || regex.isEmpty()) {
                throw new ConfigException(PATTERNS + " entries look like name=regex (name: ASCII letters, digits, underscore,"
                        + " not ending in a digit), got '" + entry.trim() + "'");
            }
            if (isBuiltInName(name) || !names.add(name)) {
                throw new ConfigException(PATTERNS + ": pattern name '" + name + "' is used twice or is a built-in kind");
            }
            detectors.add(compile(name, regex));
        }
        return detectors;
    }

    private static Detector compile(String name, String regex) {
        try {
            // Alone first: an unbalanced ')' could otherwise pair up with the delimiting wrapper.
            Pattern.compile(regex);
            return Detector.custom(name, regex);
        } catch (PatternSyntaxException e) {
            throw new ConfigException(PATTERNS + ": pattern '" + name + "' is not a valid regular expression: "
                    + e.getDescription());
        }
    }

    private static PiiKind kindNamed(String name) {
        for (PiiKind kind : PiiKind.values()) {
            if (kind.configName().equals(name)) {
                return kind;
            }
        }
        StringJoiner valid = new StringJoiner(", ");
        for (PiiKind kind : PiiKind.values()) {
            valid.add(kind.configName());
        }
        throw new ConfigException(KINDS + ": unknown kind '" + name + "', valid kinds are " + valid);
    }

    private static boolean isBuiltInName(String name) {
        for (PiiKind kind : PiiKind.values()) {
            if (kind.configName().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
