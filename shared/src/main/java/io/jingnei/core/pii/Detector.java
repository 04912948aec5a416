package io.jingnei.core.pii;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds one kind of personal information. Immutable and thread-safe; patterns are compiled once. */
final class Detector {
    /** Triggers of a kind whose values contain an ASCII digit. */
    static final String DIGITS = "0123456789";
    /** Triggers of a custom pattern, which may match anything. */
    private static final String ANYTHING = "";

    private final String kind;
    private final String label;
    private final String triggers;
    private final Pattern pattern;
    private final Predicate<String> valid;
    private final UnaryOperator<String> sameValueKey;

    /** {@code triggers}: every value contains one of these characters; empty when unknown. */
    Detector(String kind, String label, String triggers, String regex, Predicate<String> valid,
             UnaryOperator<String> sameValueKey) {
        this.kind = kind;
        this.label = label;
        this.triggers = triggers;
        this.pattern = Pattern.compile(regex);
        this.valid = valid;
        this.sameValueKey = sameValueKey;
    }

    /** A configured pattern: its name is both kind and label, any non-empty match counts. */
    static Detector custom(String name, String regex) {
        return new Detector(name, name, ANYTHING, delimited(regex), match -> true, UnaryOperator.identity());
    }

    /**
     * Neither preceded nor followed by a digit or ASCII letter, so a piece of a longer code
     * (DY20261111001, 13812345678901234) is never taken for a value of its own.
     */
    static String delimited(String regex) {
        // \p{Alnum} is ASCII-only here (no UNICODE_CHARACTER_CLASS), so Chinese text still delimits.
        return "(?<!\\p{Alnum})(?:" + regex + ")(?!\\p{Alnum})";
    }

    /** As {@link #delimited(String)}, for a regex whose matches start with {@code first}, checked first for speed. */
    static String delimited(String first, String regex) {
        return "(?=" + first + ")" + delimited(regex);
    }

    String kind() {
        return kind;
    }

    String label() {
        return label;
    }

    /** Two spellings with the same key are one value and share a placeholder. */
    String sameValueKey(String value) {
        return sameValueKey.apply(value);
    }

    /** Adds the valid, non-empty matches that do not overlap one already found by an earlier detector. */
    void addMatches(String text, List<PiiMatch> found) {
        if (!mayOccurIn(text)) {
            return;
        }
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            int start = matcher.start();
            int end = matcher.end();
            if (end > start && valid.test(matcher.group()) && !overlapsAny(found, start, end)) {
                found.add(new PiiMatch(this, start, end));
            }
        }
    }

    /** A few indexOf calls spare a regex scan of text without a single trigger (most chat text has no digit). */
    private boolean mayOccurIn(String text) {
        if (triggers.isEmpty()) {
            return true;
        }
        for (int i = 0; i < triggers.length(); i++) {
            if (text.indexOf(triggers.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean overlapsAny(List<PiiMatch> found, int start, int end) {
        for (PiiMatch match : found) {
            if (start < match.end() && match.start() < end) {
                return true;
            }
        }
        return false;
    }
}
