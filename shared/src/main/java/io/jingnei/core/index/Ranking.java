package io.jingnei.core.index;

import java.util.List;

/**
 * What hybrid search found for one question, best first, and how far its best passage stands out
 * from the question's other close passages ({@link #lead}), which the rejection rule reads.
 */
public final class Ranking {
    /** One ranked chunk: its cosine to the question, its BM25F score and the fused score it was ranked by. */
    public static final class Candidate {
        public final int position;
        public final float cosine;
        public final float lexical;
        public final double score;

        public Candidate(int position, float cosine, float lexical, double score) {
            this.position = position;
            this.cosine = cosine;
            this.lexical = lexical;
            this.score = score;
        }
    }

    public final List<Candidate> candidates;
    /**
     * The best candidate's cosine minus the mean cosine of the ten most similar chunks (an index
     * with fewer is padded with {@link HybridIndex#UNRELATED_COSINE}). A question the knowledge
     * base answers tends to have one passage well above its neighbours; a question from the same
     * domain that nothing answers is about equally close to many.
     */
    public final double lead;

    public Ranking(List<Candidate> candidates, double lead) {
        this.candidates = candidates;
        this.lead = lead;
    }

    public boolean empty() {
        return candidates.isEmpty();
    }

    public Candidate best() {
        return candidates.get(0);
    }
}
