package io.jingnei.core.index;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An index searched by meaning and by words: the {@link VectorIndex} as it is, plus an optional
 * {@link LexicalIndex} over the same chunks, fused by {@link Fusion}. Without a lexical part
 * search is dense-only. Immutable and thread-safe; a newer index replaces it whole.
 */
public final class HybridIndex {
    /**
     * About the cosine bge-small-zh-v1.5 gives unrelated Chinese text (median 0.36 for the dev
     * set's off-topic questions): what an index with fewer than ten chunks is padded with when
     * the lead of its best passage is measured.
     */
    static final double UNRELATED_COSINE = 0.35;
    private static final int LEAD_NEIGHBOURS = 10;

    private final VectorIndex vectors;
    private final LexicalIndex lexical;

    public HybridIndex(VectorIndex vectors, LexicalIndex lexical) {
        if (lexical != null && lexical.size() != vectors.size()) {
            throw new IndexException("the lexical index has " + lexical.size() + " chunks, the vectors " + vectors.size());
        }
        this.vectors = vectors;
        this.lexical = lexical;
    }

    public VectorIndex vectors() {
        return vectors;
    }

    /** Null when the index has no lexical part (a FAISS index or a dense-only build). */
    public LexicalIndex lexical() {
        return lexical;
    }

    public int size() {
        return vectors.size();
    }

    public Chunk chunk(int position) {
        return vectors.chunk(position);
    }

    /** The k best chunks for a question, given as its embedding and its text. */
    public Ranking search(float[] query, String question, int k, Fusion fusion) {
        return search(query, lexicalScores(question, fusion), k, fusion);
    }

    /**
     * {@link LexicalIndex#coverage} of the question by the chunk at this position (its title and
     * text); NaN when the index has no lexical part.
     */
    public double coverage(String question, int position) {
        if (lexical == null) {
            return Double.NaN;
        }
        Chunk chunk = chunk(position);
        return lexical.coverage(question, ChunkTitle.of(chunk.metadataJson), chunk.text);
    }

    /**
     * {@link LexicalIndex#coverageCountingUnknown} of the question by the chunk at this position
     * (the single-question rule's); NaN when the index has no lexical part.
     */
    public double coverageCountingUnknown(String question, int position) {
        if (lexical == null) {
            return Double.NaN;
        }
        Chunk chunk = chunk(position);
        return lexical.coverageCountingUnknown(question, ChunkTitle.of(chunk.metadataJson), chunk.text);
    }

    /** The question's BM25F score for every chunk, or null when search is dense-only. */
    public float[] lexicalScores(String question, Fusion fusion) {
        return lexical != null && fusion.lexicalWeight > 0 ? lexical.scores(question, fusion.bm25) : null;
    }

    /**
     * The k best chunks for a query given as an embedding and the lexical scores to fuse with
     * ({@link #lexicalScores}, or a mix of several texts' scores; null: dense only).
     */
    public Ranking search(float[] query, float[] lexicalScores, int k, Fusion fusion) {
        return rank(query, vectors.search(query, Math.max(k, fusion.pool)), lexicalScores, k, fusion);
    }

    /**
     * Several searches at once, each query with its own lexical scores (an entry null: dense only),
     * over one pass of the vectors ({@link VectorIndex#search(float[][], int)}): what a follow-up
     * searched alone and in context costs.
     */
    public List<Ranking> search(float[][] queries, float[][] lexicalScores, int k, Fusion fusion) {
        List<List<Hit>> dense = vectors.search(queries, Math.max(k, fusion.pool));
        List<Ranking> rankings = new ArrayList<>(queries.length);
        for (int q = 0; q < queries.length; q++) {
            rankings.add(rank(queries[q], dense.get(q), lexicalScores[q], k, fusion));
        }
        return rankings;
    }

    private Ranking rank(float[] query, List<Hit> dense, float[] lexicalScores, int k, Fusion fusion) {
        if (dense.isEmpty()) {
            return new Ranking(List.of(), 0);
        }
        Spread denseSpread = Spread.of(dense.stream().mapToDouble(h -> h.score).limit(fusion.pool).toArray(), dense.size());
        Map<Integer, Ranking.Candidate> candidates = new LinkedHashMap<>();
        boolean hybrid = lexicalScores != null;
        List<Integer> lexicalTop = hybrid ? topPositions(lexicalScores, fusion.pool) : List.of();
        Spread lexicalSpread = hybrid ? Spread.of(values(lexicalScores, lexicalTop), Math.min(fusion.pool, lexicalScores.length)) : null;
        for (Hit hit : dense) {
            candidates.put(hit.position, candidate(hit.position, hit.score, lexicalScores, denseSpread, lexicalSpread, fusion));
        }
        if (hybrid) {
            for (int position : lexicalTop) {
                candidates.computeIfAbsent(position, p -> candidate(p, vectors.similarity(query, p), lexicalScores, denseSpread,
                        lexicalSpread, fusion));
            }
        }
        List<Ranking.Candidate> ranked = new ArrayList<>(candidates.values());
        ranked.sort(Comparator.comparingDouble((Ranking.Candidate c) -> -c.score).thenComparingInt(c -> c.position));
        List<Ranking.Candidate> best = new ArrayList<>(ranked.subList(0, Math.min(k, ranked.size())));
        return new Ranking(best, best.get(0).cosine - neighbourMean(dense));
    }

    private static Ranking.Candidate candidate(int position, float cosine, float[] lexicalScores, Spread dense, Spread lexical, Fusion fusion) {
        if (lexicalScores == null) {
            return new Ranking.Candidate(position, cosine, 0, cosine);
        }
        float words = lexicalScores[position];
        return new Ranking.Candidate(position, cosine, words, dense.z(cosine) + fusion.lexicalWeight * lexical.z(words));
    }

    private static double neighbourMean(List<Hit> dense) {
        double sum = 0;
        for (int i = 0; i < LEAD_NEIGHBOURS; i++) {
            sum += i < dense.size() ? dense.get(i).score : UNRELATED_COSINE;
        }
        return sum / LEAD_NEIGHBOURS;
    }

    private static double[] values(float[] scores, List<Integer> positions) {
        double[] values = new double[positions.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = scores[positions.get(i)];
        }
        return values;
    }

    /** Positions of the n best positive scores, best first. */
    private static List<Integer> topPositions(float[] scores, int n) {
        TopK top = new TopK(Math.max(1, n));
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] > 0 && scores[i] > top.floor()) {
                top.offer(i, scores[i]);
            }
        }
        List<Integer> positions = new ArrayList<>();
        for (Hit hit : top.hits()) {
            positions.add(hit.position);
        }
        return positions;
    }

    /** Mean and spread of a list's top scores; a list shorter than {@code size} is padded with zeros (no match). */
    static final class Spread {
        private static final double FLOOR = 1e-4;
        final double mean;
        final double deviation;

        private Spread(double mean, double deviation) {
            this.mean = mean;
            this.deviation = deviation;
        }

        static Spread of(double[] top, int size) {
            int n = Math.max(1, Math.max(size, top.length));
            double sum = 0;
            for (double v : top) {
                sum += v;
            }
            double mean = sum / n;
            double squares = (n - top.length) * mean * mean;
            for (double v : top) {
                squares += (v - mean) * (v - mean);
            }
            return new Spread(mean, Math.max(FLOOR, Math.sqrt(squares / n)));
        }

        double z(double value) {
            return Math.max(-3, (value - mean) / deviation);
        }
    }
}
