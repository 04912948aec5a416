package io.jingnei.core.pii;

/**
 * A text as the detectors read it: the other spellings of ASCII that customers type or paste folded
 * to it, with where each folded character came from, so a match is replaced (and later restored) in
 * the customer's own spelling. Folded: full-width forms (a Chinese IME in full-width mode types
 * {@code １３８１２３４５６７８} and {@code ＠}), the ideographic and no-break spaces, the dots used as
 * separators ({@code 。 ｡ ・ ･} to {@code .} between two letters or digits), and the small forms of
 * {@code @ . -}; these are what NFKC does to them except for the dots, which NFKC leaves. Full-width
 * sentence punctuation ({@code ，！？}) is left: it delimits a value either way, and folding it would
 * cost most Chinese texts their fast path. Removed: the invisible characters a web page or
 * chat app leaves inside a number (zero-width space, joiners, word joiner, byte-order mark, soft
 * hyphen). Every fold is one character to one (or none), so offsets map back exactly. Wider NFKC folds
 * (circled ①, superscripts) are left out on purpose: a list marker ① before a phone number would
 * become a digit glued to it and hide the number.
 */
final class FoldedText {
    private static final int REMOVED = -1;

    private final String text;
    /** Index in the original text of each folded character; null when nothing was folded. */
    private final int[] origin;

    private FoldedText(String text, int[] origin) {
        this.text = text;
        this.origin = origin;
    }

    static FoldedText of(String original) {
        int first = firstFoldable(original);
        if (first < 0) {
            return new FoldedText(original, null);
        }
        StringBuilder folded = new StringBuilder(original.length());
        int[] origin = new int[original.length()];
        folded.append(original, 0, first);
        for (int i = 0; i < first; i++) {
            origin[i] = i;
        }
        for (int i = first; i < original.length(); i++) {
            int c = fold(original, i);
            if (c != REMOVED) {
                origin[folded.length()] = i;
                folded.append((char) c);
            }
        }
        return new FoldedText(folded.toString(), origin);
    }

    /** Just the folded spelling, e.g. to tell that two spellings are one value. */
    static String fold(String original) {
        return of(original).text;
    }

    String text() {
        return text;
    }

    /** Whether any character was folded or removed, i.e. offsets differ from the original's. */
    boolean changed() {
        return origin != null;
    }

    /** Where the folded character at {@code start} begins in the original text. */
    int originalStart(int start) {
        return origin == null ? start : origin[start];
    }

    /** Where a folded range ending at {@code end} (exclusive, after at least one character) ends in the original. */
    int originalEnd(int end) {
        return origin == null ? end : origin[end - 1] + 1;
    }

    /** -1 when nothing needs folding: the common case, one pass and no copy. */
    private static int firstFoldable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // ASCII and the CJK blocks (U+3400..U+FDFF) fold to themselves: one or two compares for most characters.
            if (c < '\u00A0' || c >= '\u3400' && c < '\uFE00') {
                continue;
            }
            if (fold(text, i) != c) {
                return i;
            }
        }
        return -1;
    }

    /** The folded character at {@code i}, or {@link #REMOVED}. */
    private static int fold(String text, int i) {
        char c = text.charAt(i);
        if (c >= '\uFF01' && c <= '\uFF5E') {
            // Only what a value can hold; full-width sentence punctuation (，！？：；) delimits either way.
            return isValuePart((char) (c - 0xFEE0)) ? c - 0xFEE0 : c;
        }
        if (c >= '\u2000' && c <= '\u200A') {
            return ' ';
        }
        switch (c) {
            case '\u00A0':
            case '\u202F':
            case '\u205F':
            case '\u3000':
                return ' ';
            case '\u3002':
            case '\uFF61':
            case '\u30FB':
            case '\uFF65':
            case '\uFE52':
                // A dot between two letters or digits separates a value's parts (138。1234, example。com);
                // anywhere else it ends a sentence, and most Chinese texts would lose the fast path.
                return between(text, i) ? '.' : c;
            case '\uFE6B':
                return '@';
            case '\uFE63':
                return '-';
            case '\u00AD':
            case '\u200B':
            case '\u200C':
            case '\u200D':
            case '\u2060':
            case '\uFEFF':
                return REMOVED;
            default:
                return c;
        }
    }

    private static boolean isValuePart(char ascii) {
        return ascii >= '0' && ascii <= '9' || ascii >= 'A' && ascii <= 'Z' || ascii >= 'a' && ascii <= 'z'
                || "@.-+_%()".indexOf(ascii) >= 0;
    }

    private static boolean between(String text, int i) {
        return i > 0 && i + 1 < text.length() && isLetterOrDigit(text.charAt(i - 1)) && isLetterOrDigit(text.charAt(i + 1));
    }

    /** ASCII or full-width. */
    private static boolean isLetterOrDigit(char c) {
        char ascii = c >= '\uFF01' && c <= '\uFF5E' ? (char) (c - 0xFEE0) : c;
        return ascii >= '0' && ascii <= '9' || ascii >= 'A' && ascii <= 'Z' || ascii >= 'a' && ascii <= 'z';
    }
}
