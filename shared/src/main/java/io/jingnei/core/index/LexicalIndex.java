package io.jingnei.core.index;

import io.jingnei.core.text.TermSplitter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * BM25F over two fields of every chunk, its title (metadata {@code title}) and its text, as an
 * inverted index of 64-bit term keys. Postings stay in the bytes they were loaded in (per posting:
 * varint gap to the previous chunk, then one byte of title and text term counts, each capped at
 * 15, where BM25 has long saturated), so the index costs about its file size in memory and loads
 * without decoding. Immutable and thread-safe.
 */
public final class LexicalIndex {
    private final TermSplitter splitter;
    private final int count;
    private final char[] titleLengths;
    private final char[] textLengths;
    private final long[] keys;
    private final int[] frequencies;
    private final int[] ends;
    private final byte[] postings;
    /** Where the postings start in {@code postings} (a loaded index shares the payload array). */
    private final int base;
    private final int postingsLength;
    private final float averageTitle;
    private final float averageText;
    /** Computed on first use (a benign race: two threads may both compute the same arrays). */
    private volatile float[][] defaultNorms;
    /** Postings read per question at most (about a millisecond on one core); see {@link #scores}. */
    static final int POSTINGS_BUDGET = 100_000;

    LexicalIndex(TermSplitter splitter, int count, char[] titleLengths, char[] textLengths, long[] keys, int[] frequencies, int[] ends,
                 byte[] postings, int base) {
        this.splitter = splitter;
        this.count = count;
        this.titleLengths = titleLengths;
        this.textLengths = textLengths;
        this.keys = keys;
        this.frequencies = frequencies;
        this.ends = ends;
        this.postings = postings;
        this.base = base;
        this.postingsLength = keys.length == 0 ? 0 : ends[keys.length - 1];
        this.averageTitle = average(titleLengths);
        this.averageText = average(textLengths);
    }

    private static float average(char[] lengths) {
        long sum = 0;
        for (char length : lengths) {
            sum += length;
        }
        return lengths.length == 0 ? 1 : Math.max(1f, sum / (float) lengths.length);
    }

    public int size() {
        return count;
    }

    public int terms() {
        return keys.length;
    }

    /** Bytes this index occupies in the file (and about that in memory). */
    public long bytes() {
        return 16 + 4L * count + 16L * keys.length + postingsLength;
    }

    public TermSplitter splitter() {
        return splitter;
    }

    /**
     * BM25F score of every chunk for the question (0 where no term matches); each distinct term
     * of the question counts once. Terms are read rarest first, and once {@link #POSTINGS_BUDGET}
     * postings have been read the commoner terms left are skipped: they weigh least (lowest idf)
     * and cost most, and on a 100k-chunk index a long question's common characters alone would
     * otherwise take tens of milliseconds. Knowledge bases of a few thousand chunks never reach it.
     */
    public float[] scores(String question, Bm25 weights) {
        float[] scores = new float[count];
        long[] terms = distinctTerms(question);
        int[] found = new int[terms.length];
        int n = 0;
        for (long term : terms) {
            int t = Arrays.binarySearch(keys, term);
            if (t >= 0) {
                found[n++] = t;
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = found[i];
        }
        Arrays.sort(order, (a, b) -> frequencies[a] != frequencies[b] ? Integer.compare(frequencies[a], frequencies[b]) : Integer.compare(a, b));
        float[][] norms = norms(weights);
        long read = 0;
        for (int t : order) {
            if (read > 0 && read + frequencies[t] > POSTINGS_BUDGET) {
                break;
            }
            read += frequencies[t];
            add(t, weights, norms[0], norms[1], scores);
        }
        return scores;
    }

    /**
     * How much of the question a passage's words cover: the idf-weighted share of the question's
     * distinct terms (bigrams, single characters, Latin words) that also occur in the passage's
     * title or text, counting only terms the index knows (a typo such as 运肥 is nobody's term and
     * says nothing about this passage). 0 when the index knows none of them. A same-domain question
     * that no article answers tends to ask about a thing no passage names (保管箱, 沙箱环境), so its
     * best passage covers less of it than an answerable question's does. Splits the passage's
     * text again rather than reading postings: tens of microseconds, no scan.
     */
    public double coverage(String question, String title, String text) {
        return coverage(question, title, text, false);
    }

    /**
     * {@link #coverage} for judging a single question: one minus the idf-weighted share of the
     * question's distinct terms (bigrams, single characters, Latin words) that the index has
     * elsewhere but the passage (title and text) lacks. A term no chunk has (a typo such as 运肥,
     * dialect, filler such as 三天了) counts as covered: it says nothing against this passage, and
     * the hard dev set's answerable questions are full of them. A term the knowledge base uses
     * elsewhere but this passage does not is what a same-domain question nothing answers tends to
     * hinge on (违约金 asked of a telecom passage when only the bank's articles name it, SCIM, 国际):
     * median 0.76 for those questions, 0.88 for answerable ones. Unknown terms weigh the idf of a
     * term no chunk has. 0 when the index knows none of the question's terms (nothing says this
     * passage is about it). {@link #coverage} leaves unknown terms out of both sides (the follow-up
     * rule reads it); counting them as covered separated the dev sets' answerable and near-domain
     * single questions better held out (docs/rag.md). Tens of microseconds, no scan.
     */
    public double coverageCountingUnknown(String question, String title, String text) {
        return coverage(question, title, text, true);
    }

    /** One minus the idf-weighted share of the question's terms the passage lacks; 0 when the index knows none. */
    private double coverage(String question, String title, String text, boolean unknownCovered) {
        long[] present = distinctTerms(title + "\n" + text);
        double all = 0;
        double missing = 0;
        boolean anyKnown = false;
        for (long term : distinctTerms(question)) {
            int t = Arrays.binarySearch(keys, term);
            if (t < 0) {
                all += unknownCovered ? idf(0) : 0;
                continue;
            }
            anyKnown = true;
            double idf = idf(frequencies[t]);
            all += idf;
            if (Arrays.binarySearch(present, term) < 0) {
                missing += idf;
            }
        }
        return anyKnown ? 1 - missing / all : 0;
    }

    private float idf(int df) {
        return (float) Math.log(1 + (count - df + 0.5) / (df + 0.5));
    }

    /** Reads one term's postings into the scores. */
    private void add(int t, Bm25 weights, float[] titleNorms, float[] textNorms, float[] scores) {
        float idf = idf(frequencies[t]);
        float titleWeight = (float) weights.titleWeight;
        float k1 = (float) weights.k1;
        int at = base + (t == 0 ? 0 : ends[t - 1]);
        int end = base + ends[t];
        int doc = -1;
        while (at < end) {
            int gap = 0;
            int shift = 0;
            byte b;
            do {
                b = postings[at++];
                gap |= (b & 0x7f) << shift;
                shift += 7;
            } while (b < 0);
            doc += gap;
            int tf = postings[at++] & 0xff;
            float x = titleWeight * (tf >>> 4) * titleNorms[doc] + (tf & 15) * textNorms[doc];
            scores[doc] += idf * x / (k1 + x);
        }
    }

    /** 1 / (1 - b + b * length / average) per chunk and field; kept for the default weights. */
    private float[][] norms(Bm25 weights) {
        float[][] cached = defaultNorms;
        if (cached != null && weights.b == Bm25.DEFAULT.b) {
            return cached;
        }
        float[][] norms = new float[2][count];
        for (int d = 0; d < count; d++) {
            norms[0][d] = (float) (1 / (1 - weights.b + weights.b * titleLengths[d] / averageTitle));
            norms[1][d] = (float) (1 / (1 - weights.b + weights.b * textLengths[d] / averageText));
        }
        if (weights.b == Bm25.DEFAULT.b) {
            defaultNorms = norms;
        }
        return norms;
    }

    private long[] distinctTerms(String question) {
        long[][] buffer = {new long[32]};
        int[] size = {0};
        splitter.terms(question, term -> {
            if (size[0] == buffer[0].length) {
                buffer[0] = Arrays.copyOf(buffer[0], size[0] * 2);
            }
            buffer[0][size[0]++] = term;
        });
        long[] terms = Arrays.copyOf(buffer[0], size[0]);
        Arrays.sort(terms);
        int distinct = 0;
        for (int i = 0; i < terms.length; i++) {
            if (i == 0 || terms[i] != terms[i - 1]) {
                terms[distinct++] = terms[i];
            }
        }
        return Arrays.copyOf(terms, distinct);
    }

    /**
     * BM25F's constants: term saturation k1, length normalisation b, and how much a title word
     * outweighs a text word. Title weight 1 (titles still count: their own length normalisation, and
     * they are embedded with the text) was chosen over 3 by the dev-set cross-validation.
     */
    public static final class Bm25 {
        public static final Bm25 DEFAULT = new Bm25(1.2, 0.75, 1);

        public final double k1;
        public final double b;
        public final double titleWeight;

        public Bm25(double k1, double b, double titleWeight) {
            this.k1 = k1;
            this.b = b;
            this.titleWeight = titleWeight;
        }
    }

    /**
     * The lexical section of an index file, little-endian: u8 splitter id, 3 reserved bytes,
     * u32 chunk count, u32 term count T, u32 postings length P; chunk count x u16 title length and
     * x u16 text length (in terms); T x u64 term key (ascending); T x u32 document frequency;
     * T x u32 end offset of the term's postings; P bytes of postings.
     */
    void write(java.io.ByteArrayOutputStream out) {
        ByteBuffer head = ByteBuffer.allocate(16 + 4 * count + 16 * keys.length).order(ByteOrder.LITTLE_ENDIAN);
        head.put((byte) splitter.id()).put((byte) 0).putShort((short) 0).putInt(count).putInt(keys.length).putInt(postingsLength);
        for (char length : titleLengths) {
            head.putChar(length);
        }
        for (char length : textLengths) {
            head.putChar(length);
        }
        for (long key : keys) {
            head.putLong(key);
        }
        for (int df : frequencies) {
            head.putInt(df);
        }
        for (int end : ends) {
            head.putInt(end);
        }
        out.write(head.array(), 0, head.capacity());
        out.write(postings, base, postingsLength);
    }

    /**
     * Reads what {@link #write} wrote, at {@code offset} of {@code data} to its end. The postings
     * stay in {@code data} (the loaded payload, shared with the chunk records): no copy. A section
     * cut by another splitter gives null, and the caller rebuilds the index from the chunk texts.
     */
    static LexicalIndex read(byte[] data, int offset, int chunks, TermSplitter splitter) {
        try {
            ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            in.position(offset);
            int id = in.get() & 0xff;
            in.position(offset + 4);
            int count = in.getInt();
            int terms = in.getInt();
            int postingsLength = in.getInt();
            if (id != splitter.id()) {
                return null;
            }
            long expected = 16 + 4L * count + 16L * terms + postingsLength;
            if (count != chunks || terms < 0 || postingsLength < 0 || offset + expected != data.length) {
                throw new IndexException("the lexical section is corrupt: " + count + " chunks, " + terms + " terms, "
                        + postingsLength + " postings bytes in " + (data.length - offset) + " bytes");
            }
            char[] titles = new char[count];
            char[] texts = new char[count];
            in.asCharBuffer().get(titles);
            in.position(in.position() + 2 * count);
            in.asCharBuffer().get(texts);
            in.position(in.position() + 2 * count);
            long[] keys = new long[terms];
            in.asLongBuffer().get(keys);
            in.position(in.position() + 8 * terms);
            int[] frequencies = new int[terms];
            in.asIntBuffer().get(frequencies);
            in.position(in.position() + 4 * terms);
            int[] ends = new int[terms];
            in.asIntBuffer().get(ends);
            in.position(in.position() + 4 * terms);
            for (int t = 0; t < terms; t++) {
                if ((t > 0 && (keys[t] <= keys[t - 1] || ends[t] < ends[t - 1])) || ends[t] > postingsLength || ends[t] < 0) {
                    throw new IndexException("the lexical section is corrupt: terms out of order");
                }
            }
            return new LexicalIndex(splitter, count, titles, texts, keys, frequencies, ends, data, in.position());
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new IndexException("the lexical section is truncated");
        }
    }
}
