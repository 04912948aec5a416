package io.jingnei.core.pii;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How placeholders are written ({@code [手机号1]}) and read back in the forms a model may mangle them
 * into: spaces inside, full-width or lenticular brackets ({@code ［手机号1］}, {@code 【手机号1】}),
 * full-width digits ({@code [手机号１]}). Immutable and thread-safe.
 */
final class PlaceholderSyntax {
    private static final String OPENING = "[［【";
    private static final String CLOSING = "]］】";
    private static final String OPENING_CLASS = "[\\[［【]";
    private static final String CLOSING_CLASS = "[\\]］】]";
    private static final String SPACES = "[ \\t\\u00A0\\u3000]*";
    private static final int MAX_NUMBER_DIGITS = 6;
    /** Beyond bracket and label: the number and the few spaces a model may add. */
    private static final int MANGLING_ALLOWANCE = MAX_NUMBER_DIGITS + 6;

    private final Pattern pattern;

    /** {@code labels}: every label a session of the policy can hand out. */
    PlaceholderSyntax(Collection<String> labels) {
        List<String> longestFirst = new ArrayList<>(labels);
        longestFirst.sort(Comparator.comparingInt(String::length).reversed());
        StringBuilder alternatives = new StringBuilder();
        for (String label : longestFirst) {
            alternatives.append(alternatives.length() == 0 ? "" : "|").append(Pattern.quote(label));
        }
        this.pattern = labels.isEmpty() ? null : Pattern.compile(OPENING_CLASS + SPACES + "(" + alternatives + ")"
                + SPACES + "([0-9０-９]{1," + MAX_NUMBER_DIGITS + "})" + SPACES + CLOSING_CLASS);
    }

    static String write(String label, int number) {
        return "[" + label + number + "]";
    }

    /** What a placeholder is looked up by, the same for every mangled form of it. */
    static String key(String label, int number) {
        return label + number;
    }

    static String keyOf(Matcher placeholder) {
        String digits = placeholder.group(2);
        int number = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            number = number * 10 + (c >= '０' ? c - '０' : c - '0');
        }
        return key(placeholder.group(1), number);
    }

    boolean isEmpty() {
        return pattern == null;
    }

    /** Only call when {@link #mayContainPlaceholder} and the policy has at least one label. */
    Matcher matcher(String text) {
        return pattern.matcher(text);
    }

    static boolean mayContainPlaceholder(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (OPENING.indexOf(text.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where a placeholder begins at the end of {@code text} that is not closed yet and could still
     * become one of {@code labels}, or {@code text.length()} when there is none. Looks back no further
     * than the longest such placeholder can be, so a stray bracket never holds text back for long.
     */
    static int unfinishedStart(String text, Collection<String> labels) {
        int longest = 0;
        for (String label : labels) {
            longest = Math.max(longest, label.length());
        }
        int limit = Math.max(0, text.length() - (1 + longest + MANGLING_ALLOWANCE));
        for (int i = text.length() - 1; i >= limit; i--) {
            char c = text.charAt(i);
            if (CLOSING.indexOf(c) >= 0) {
                return text.length();
            }
            if (OPENING.indexOf(c) >= 0) {
                return couldBecomePlaceholder(text, i, labels) ? i : text.length();
            }
        }
        return text.length();
    }

    private static boolean couldBecomePlaceholder(String text, int bracket, Collection<String> labels) {
        int labelStart = skipSpaces(text, bracket + 1);
        for (String label : labels) {
            int same = 0;
            while (same < label.length() && labelStart + same < text.length()
                    && label.charAt(same) == text.charAt(labelStart + same)) {
                same++;
            }
            if (labelStart + same == text.length() || same == label.length() && isNumberSoFar(text, labelStart + same)) {
                return true;
            }
        }
        return false;
    }

    /** Spaces, at most six digits, spaces, then the end of the text: the number may still be coming. */
    private static boolean isNumberSoFar(String text, int from) {
        int i = skipSpaces(text, from);
        int digitsStart = i;
        while (i < text.length() && isDigit(text.charAt(i))) {
            i++;
        }
        return i - digitsStart <= MAX_NUMBER_DIGITS && skipSpaces(text, i) == text.length();
    }

    private static int skipSpaces(String text, int from) {
        int i = from;
        while (i < text.length() && isSpace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\u00A0' || c == '\u3000';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9' || c >= '０' && c <= '９';
    }
}
