package io.jingnei.core.index;

import io.jingnei.core.text.TermSplitter;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds a {@link LexicalIndex} one chunk at a time, in index order. Not thread-safe. Memory is
 * about the finished index plus a map entry per distinct term.
 */
public final class LexicalIndexBuilder {
    private final TermSplitter splitter;
    private final Map<Long, Postings> terms = new HashMap<>();
    private char[] titleLengths = new char[64];
    private char[] textLengths = new char[64];
    private int count;

    public LexicalIndexBuilder(TermSplitter splitter) {
        this.splitter = splitter;
    }

    /** Growing postings of one term: varint gaps and packed counts. */
    private static final class Postings {
        byte[] bytes = new byte[8];
        int length;
        int documents;
        int last = -1;

        void add(int doc, int titleCount, int textCount) {
            if (length + 6 > bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            int gap = doc - last;
            while ((gap & ~0x7f) != 0) {
                bytes[length++] = (byte) ((gap & 0x7f) | 0x80);
                gap >>>= 7;
            }
            bytes[length++] = (byte) gap;
            bytes[length++] = (byte) (Math.min(15, titleCount) << 4 | Math.min(15, textCount));
            last = doc;
            documents++;
        }
    }

    public void add(String title, String text) {
        Map<Long, int[]> counts = new HashMap<>();
        int[] titleTerms = {0};
        int[] textTerms = {0};
        splitter.terms(title == null ? "" : title, term -> {
            counts.computeIfAbsent(term, t -> new int[2])[0]++;
            titleTerms[0]++;
        });
        splitter.terms(text, term -> {
            counts.computeIfAbsent(term, t -> new int[2])[1]++;
            textTerms[0]++;
        });
        if (count == titleLengths.length) {
            titleLengths = Arrays.copyOf(titleLengths, count * 2);
            textLengths = Arrays.copyOf(textLengths, count * 2);
        }
        titleLengths[count] = (char) Math.min(0xffff, titleTerms[0]);
        textLengths[count] = (char) Math.min(0xffff, textTerms[0]);
        for (Map.Entry<Long, int[]> term : counts.entrySet()) {
            terms.computeIfAbsent(term.getKey(), t -> new Postings()).add(count, term.getValue()[0], term.getValue()[1]);
        }
        count++;
    }

    public LexicalIndex build() {
        long[] keys = new long[terms.size()];
        int k = 0;
        for (Long key : terms.keySet()) {
            keys[k++] = key;
        }
        Arrays.sort(keys);
        int[] frequencies = new int[keys.length];
        int[] ends = new int[keys.length];
        long total = 0;
        for (Postings p : terms.values()) {
            total += p.length;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IndexException("the lexical index would exceed 2 GB of postings; split the knowledge base");
        }
        byte[] postings = new byte[(int) total];
        int at = 0;
        for (int t = 0; t < keys.length; t++) {
            Postings p = terms.get(keys[t]);
            System.arraycopy(p.bytes, 0, postings, at, p.length);
            at += p.length;
            frequencies[t] = p.documents;
            ends[t] = at;
        }
        return new LexicalIndex(splitter, count, Arrays.copyOf(titleLengths, count), Arrays.copyOf(textLengths, count), keys, frequencies,
                ends, postings, 0);
    }
}
