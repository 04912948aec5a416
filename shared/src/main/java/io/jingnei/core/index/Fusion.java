package io.jingnei.core.index;

/**
 * How hybrid search combines its two rankings: each list's scores become z-scores over that
 * list's own top {@code pool} (cosines and BM25 live on unrelated scales; z-scores make "how far
 * above this question's typical candidate" comparable), floored at -3 so one list cannot veto,
 * and the candidate's score is {@code z(dense) + lexicalWeight * z(lexical)}. Chosen over
 * reciprocal-rank fusion and a max-normalised weighted sum by cross-validation on the retrieval
 * dev set (notes in docs/rag.md). {@code lexicalWeight} 0 is dense-only search.
 */
public final class Fusion {
    /** Tuned on the retrieval dev set with leave-one-domain-out cross-validation. */
    public static final Fusion DEFAULT = new Fusion(0.3, 20, LexicalIndex.Bm25.DEFAULT);
    public static final Fusion DENSE_ONLY = new Fusion(0, 20, LexicalIndex.Bm25.DEFAULT);

    public final double lexicalWeight;
    public final int pool;
    public final LexicalIndex.Bm25 bm25;

    public Fusion(double lexicalWeight, int pool, LexicalIndex.Bm25 bm25) {
        if (pool < 1) {
            throw new IllegalArgumentException("pool must be at least 1");
        }
        this.lexicalWeight = lexicalWeight;
        this.pool = pool;
        this.bm25 = bm25;
    }
}
