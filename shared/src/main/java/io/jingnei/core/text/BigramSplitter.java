package io.jingnei.core.text;

import java.text.Normalizer;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * Chinese without a dictionary: every pair of neighbouring Han characters, plus each Han character
 * alone (a typo such as 退宽 for 退款 still shares 退), except a few function characters (的, 了,
 * 吗 …) that match everything. A run of Latin letters or digits is one term (PUK, esim, 2fa, 48).
 * NFKC folds full-width forms and case first. Costs nothing at start-up, unlike a dictionary
 * segmenter; on the retrieval dev set it also ranks better than HanLP's words (notes in docs/rag.md).
 */
public final class BigramSplitter implements TermSplitter {
    public static final BigramSplitter INSTANCE = new BigramSplitter();
    public static final int ID = 1;

    /** Characters alone that carry no topic; still part of bigrams (的话, 可以). */
    private static final String FUNCTION_CHARACTERS = "的了吗呢啊吧是我你在有和就都也要会能怎么什啥嘛呀还不个这那一想可以们他她请问下得着过到把被给让对说";
    private static final long UNIGRAM = 1L << 32;
    private static final long WORD = 1L << 62;

    private BigramSplitter() {
    }

    @Override
    public int id() {
        return ID;
    }

    @Override
    public void terms(String text, LongConsumer out) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (han(c)) {
                int end = i;
                while (end < s.length() && han(s.charAt(end))) {
                    end++;
                }
                for (int k = i; k < end; k++) {
                    if (FUNCTION_CHARACTERS.indexOf(s.charAt(k)) < 0) {
                        out.accept(UNIGRAM | s.charAt(k));
                    }
                    if (k + 1 < end) {
                        out.accept(((long) s.charAt(k) << 16) | s.charAt(k + 1));
                    }
                }
                i = end;
            } else if (Character.isLetterOrDigit(c)) {
                int end = i;
                while (end < s.length() && Character.isLetterOrDigit(s.charAt(end)) && !han(s.charAt(end))) {
                    end++;
                }
                out.accept(word(s, i, end));
                i = end;
            } else {
                i++;
            }
        }
    }

    /**
     * Han characters, including surrogate halves of the rare ones outside the BMP (cut by UTF-16
     * unit: the pair still forms a term of its own).
     */
    private static boolean han(char c) {
        return Character.isSurrogate(c) || Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN;
    }

    /** FNV-1a over the word, in its own key range (bit 62) so it never equals a Han term. */
    private static long word(String s, int from, int to) {
        long hash = 0xcbf29ce484222325L;
        for (int i = from; i < to; i++) {
            hash ^= s.charAt(i);
            hash *= 0x100000001b3L;
        }
        return WORD | (hash & (WORD - 1));
    }
}
