package io.jingnei.core.log;

import java.util.ArrayList;
import java.util.List;

/**
 * Text shaped like a credential, found without running a regex over the whole text (on every log
 * line the regex cost more than the rest of a {@code /v1} call: bench/RESULTS.md, docs/benchmarks.md
 * performance notes). Keywords are located with {@code indexOf} on an ASCII-lowered copy, then
 * checked where they stand. Three shapes, matched as this regex would, leftmost first:
 * <pre>
 * (?i)\b(?:bearer|basic)\s+[A-Za-z0-9._~+/=\-]{4,}             the whole match
 *   | \b(?:sk|ak|pk|rk|ck)-[A-Za-z0-9_\-*.]{4,}                the whole match
 *   | (?:api[_-]?key|secret|token|password|authorization)["']?\s?[:=]\s?["']?  then the value,
 *     not starting with bearer/basic, [^\s"',}]{4,}            only the value
 * </pre>
 */
final class CredentialShapes {
    private static final String[] SCHEMES = {"bearer", "basic"};
    private static final String[] KEY_PREFIXES = {"sk-", "ak-", "pk-", "rk-", "ck-"};
    private static final String[] NAMES = {"secret", "token", "password", "authorization"};

    private CredentialShapes() {
    }

    static String mask(String text, String mask) {
        String lower = asciiLower(text);
        List<int[]> spans = new ArrayList<>();
        for (String scheme : SCHEMES) {
            for (int at = lower.indexOf(scheme); at >= 0; at = lower.indexOf(scheme, at + 1)) {
                int end = schemeEnd(text, at, scheme.length());
                if (end > 0) {
                    spans.add(new int[] {at, end, 0});
                }
            }
        }
        for (String prefix : KEY_PREFIXES) {
            for (int at = lower.indexOf(prefix); at >= 0; at = lower.indexOf(prefix, at + 1)) {
                if (boundaryBefore(text, at)) {
                    int end = run(text, at + 3, CredentialShapes::keyChar);
                    if (end - (at + 3) >= 4) {
                        spans.add(new int[] {at, end, 1});
                    }
                }
            }
        }
        for (int at = lower.indexOf("api"); at >= 0; at = lower.indexOf("api", at + 1)) {
            int after = at + 3;
            if (after < text.length() && (text.charAt(after) == '_' || text.charAt(after) == '-')) {
                after++;
            }
            if (lower.startsWith("key", after)) {
                addValue(text, lower, after + 3, spans);
            }
        }
        for (String name : NAMES) {
            for (int at = lower.indexOf(name); at >= 0; at = lower.indexOf(name, at + 1)) {
                addValue(text, lower, at + name.length(), spans);
            }
        }
        if (spans.isEmpty()) {
            return text;
        }
        spans.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[2], b[2]));
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        for (int[] span : spans) {
            if (span[0] < copied) {
                continue; // inside an earlier match
            }
            out.append(text, copied, span[0]).append(mask);
            copied = span[1];
        }
        return out.append(text, copied, text.length()).toString();
    }

    /** {@code bearer|basic} at a word start, whitespace, then a token of at least four characters: its end, or -1. */
    private static int schemeEnd(String text, int at, int length) {
        if (!boundaryBefore(text, at)) {
            return -1;
        }
        int i = at + length;
        int spaces = run(text, i, CredentialShapes::space);
        if (spaces == i) {
            return -1;
        }
        int end = run(text, spaces, CredentialShapes::tokenChar);
        return end - spaces >= 4 ? end : -1;
    }

    /** After a credential's name: ["']?\s?[:=]\s?["']? then the value, which alone is masked. */
    private static void addValue(String text, String lower, int i, List<int[]> spans) {
        int n = text.length();
        if (i < n && quote(text.charAt(i))) {
            i++;
        }
        if (i < n && space(text.charAt(i))) {
            i++;
        }
        if (i >= n || (text.charAt(i) != ':' && text.charAt(i) != '=')) {
            return;
        }
        i++;
        if (i < n && space(text.charAt(i))) {
            i++;
        }
        if (i < n && quote(text.charAt(i))) {
            i++;
        }
        for (String scheme : SCHEMES) {
            if (lower.startsWith(scheme, i) && !wordChar(text, i + scheme.length())) {
                return; // "Bearer ..." is the first shape's
            }
        }
        int end = run(text, i, CredentialShapes::valueChar);
        if (end - i >= 4) {
            spans.add(new int[] {i, end, 2});
        }
    }

    private interface CharTest {
        boolean test(char c);
    }

    private static int run(String text, int from, CharTest allowed) {
        int i = from;
        while (i < text.length() && allowed.test(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Java's {@code \b} before a word character: the previous character is not a letter, digit or underscore. */
    private static boolean boundaryBefore(String text, int at) {
        return at == 0 || !wordChar(text, at - 1);
    }

    private static boolean wordChar(String text, int i) {
        if (i < 0 || i >= text.length()) {
            return false;
        }
        char c = text.charAt(i);
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static boolean space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private static boolean quote(char c) {
        return c == '"' || c == '\'';
    }

    private static boolean asciiAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean tokenChar(char c) {
        return asciiAlnum(c) || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=' || c == '-';
    }

    private static boolean keyChar(char c) {
        return asciiAlnum(c) || c == '_' || c == '-' || c == '*' || c == '.';
    }

    private static boolean valueChar(char c) {
        return !space(c) && c != '"' && c != '\'' && c != ',' && c != '}';
    }

    /** Lower-cases A-Z only, so every index stays the same as in {@code text}. */
    private static String asciiLower(String text) {
        char[] chars = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (chars == null) {
                    chars = text.toCharArray();
                }
                chars[i] = (char) (c + 32);
            }
        }
        return chars == null ? text : new String(chars);
    }
}
