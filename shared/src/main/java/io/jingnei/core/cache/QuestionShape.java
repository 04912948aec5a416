package io.jingnei.core.cache;

import io.jingnei.core.util.Hashing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * What a semantic cache hit must agree on besides the embedding's cosine, taken from a normalised
 * question (see {@code QuestionNormaliser}):
 * <ul>
 * <li>its identifiers, as a multiset: runs of ASCII letters and digits (tracking and order numbers,
 * amounts, dates, house numbers, model names, and any ASCII text such as an appended instruction)
 * and numbers written in Chinese numerals (三天, 第二件). The embedding model cannot see them:
 * bge-small-zh turns {@code SF1234567890123} and {@code SF9999999999999} alike into {@code [UNK]},
 * so two questions that differ only there have cosine 1.0 (issue 21, finding 1);</li>
 * <li>the characters of the rest, as distinct character bigrams: an instruction appended in Chinese
 * moves the cosine by a few hundredths only, but brings bigrams the clean question lacks (finding 2).</li>
 * </ul>
 * The identifiers are kept only as a 64-bit digest, the rest only as bigram codes: a stored shape
 * holds no text. Immutable.
 */
final class QuestionShape {
    /** Chinese numerals, financial forms included; 两 and 半 count too (两件, 半年). */
    private static final String NUMERALS = "零〇一二两三四五六七八九十百千万亿半壹贰叁肆伍陆柒捌玖拾佰仟";
    /** Inside an ASCII run these join its parts (2026-11-11, 3.5, 12:30, a@b.com) rather than split it. */
    private static final String JOINERS = ".-_:/@#+";

    /**
     * Chosen on the LCQMC test pairs whose cosine reaches 0.95 with equal identifiers (2,729 labelled
     * same, 115 different; a one-off count with the bench's vectors): at most 3 new bigrams each way
     * keeps 87% of the paraphrases (4: 96%, 2: 68%) and drops 30% of the false hits, and refuses a
     * Chinese instruction of four characters or more appended to a question. The replay in
     * bench/RESULTS.md ("Answer cache on paraphrases") measures the whole rule.
     */
    static final int MAX_NEW_BIGRAMS = 3;

    final long identifiers;
    /** Distinct bigrams of the identifier-free text, each two chars in one int, sorted. */
    private final int[] bigrams;

    private QuestionShape(long identifiers, int[] bigrams) {
        this.identifiers = identifiers;
        this.bigrams = bigrams;
    }

    static QuestionShape of(String normalised) {
        List<String> identifiers = new ArrayList<>();
        StringBuilder rest = new StringBuilder(normalised.length());
        int i = 0;
        while (i < normalised.length()) {
            char c = normalised.charAt(i);
            if (isAsciiAlnum(c)) {
                int end = i + 1;
                while (end < normalised.length() && (isAsciiAlnum(normalised.charAt(end))
                        || (JOINERS.indexOf(normalised.charAt(end)) >= 0 && end + 1 < normalised.length()
                        && isAsciiAlnum(normalised.charAt(end + 1))))) {
                    end++;
                }
                identifiers.add(normalised.substring(i, end));
                i = end;
            } else if (NUMERALS.indexOf(c) >= 0) {
                int end = i + 1;
                while (end < normalised.length() && NUMERALS.indexOf(normalised.charAt(end)) >= 0) {
                    end++;
                }
                identifiers.add(normalised.substring(i, end));
                i = end;
            } else {
                if (Character.isLetter(c)) {
                    rest.append(c);
                }
                i++;
            }
        }
        return new QuestionShape(digest(identifiers), bigrams(rest));
    }

    boolean sameIdentifiers(QuestionShape other) {
        return identifiers == other.identifiers;
    }

    /**
     * Whether the two questions are worded alike: each has at most {@link #MAX_NEW_BIGRAMS} bigrams
     * the other lacks. An appended instruction of more than that many characters fails it.
     */
    boolean wordedLike(QuestionShape other) {
        return newBigrams(other) <= MAX_NEW_BIGRAMS && other.newBigrams(this) <= MAX_NEW_BIGRAMS;
    }

    /** How many of this question's bigrams the other lacks. */
    int newBigrams(QuestionShape other) {
        int shared = 0;
        int a = 0;
        int b = 0;
        while (a < bigrams.length && b < other.bigrams.length) {
            if (bigrams[a] == other.bigrams[b]) {
                shared++;
                a++;
                b++;
            } else if (bigrams[a] < other.bigrams[b]) {
                a++;
            } else {
                b++;
            }
        }
        return bigrams.length - shared;
    }

    /** For a store shared by instances: the digest in hex, the bigrams as little-endian ints in base64. */
    String encode() {
        ByteBuffer bytes = ByteBuffer.allocate(bigrams.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(bigrams);
        return Long.toHexString(identifiers) + ":" + Base64.getEncoder().encodeToString(bytes.array());
    }

    static QuestionShape decode(String text) {
        int colon = text.indexOf(':');
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(text.substring(colon + 1))).order(ByteOrder.LITTLE_ENDIAN);
        int[] bigrams = new int[bytes.remaining() / 4];
        bytes.asIntBuffer().get(bigrams);
        return new QuestionShape(Long.parseUnsignedLong(text.substring(0, colon), 16), bigrams);
    }

    private static boolean isAsciiAlnum(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static long digest(List<String> identifiers) {
        if (identifiers.isEmpty()) {
            return 0;
        }
        Collections.sort(identifiers);
        byte[] hash = Hashing.sha256(String.join("\u0000", identifiers).getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(hash).getLong();
    }

    /** A one-character text is its own single "bigram". */
    private static int[] bigrams(CharSequence text) {
        if (text.length() == 1) {
            return new int[] {text.charAt(0)};
        }
        int[] codes = new int[Math.max(0, text.length() - 1)];
        for (int i = 0; i + 1 < text.length(); i++) {
            codes[i] = (text.charAt(i) << 16) | text.charAt(i + 1);
        }
        Arrays.sort(codes);
        int distinct = 0;
        for (int i = 0; i < codes.length; i++) {
            if (i == 0 || codes[i] != codes[i - 1]) {
                codes[distinct++] = codes[i];
            }
        }
        return Arrays.copyOf(codes, distinct);
    }
}
