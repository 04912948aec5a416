package io.jingnei.core.rag;

import io.jingnei.core.index.HybridIndex;
import io.jingnei.core.index.Ranking;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether the knowledge base answers a question, from its ranking: no passage whose cosine is
 * below {@code cosineFloor} is used, and the question is answered only when the best passage's
 * confidence, its cosine plus its lead over the ten closest passages
 * ({@link Ranking#lead}), reaches {@code minConfidence}. A lone cosine threshold cannot tell a
 * question the knowledge base answers from one in the same domain that nothing answers: both are
 * close to its articles, but only the first is much closer to one of them than to the rest.
 * Chosen on the retrieval dev set by leave-one-domain-out cross-validation (docs/rag.md).
 */
public final class RejectionRule {
    /**
     * Keeps at least 97% of the dev set's answerable questions answered with a right article
     * while rejecting about half of the unanswerable questions from the same domains.
     */
    public static final double DEFAULT_MIN_CONFIDENCE = 0.655;

    /**
     * A follow-up is answered only when its last question by itself is at least this close to the
     * passage found for it in context: the conversation keeps the earlier article close to whatever
     * is asked next, so the context's confidence alone would answer every follow-up that no article
     * answers with the earlier article. Weak on the conversation dev set (README); kept low.
     */
    public static final double DEFAULT_FOLLOW_UP_COSINE = 0.52;

    public final double cosineFloor;
    public final double minConfidence;
    public final double followUpCosine;

    public RejectionRule(double cosineFloor, double minConfidence) {
        this(cosineFloor, minConfidence, minConfidence > 0 ? DEFAULT_FOLLOW_UP_COSINE : 0);
    }

    public RejectionRule(double cosineFloor, double minConfidence, double followUpCosine) {
        this.cosineFloor = cosineFloor;
        this.minConfidence = minConfidence;
        this.followUpCosine = followUpCosine;
    }

    /**
     * A request's own {@code threshold}: the plain cosine rule of the first round, passage by
     * passage, and nothing at all rejected at 0 or below (evaluation and debugging).
     */
    public static RejectionRule plainThreshold(double threshold) {
        return new RejectionRule(threshold, 0);
    }

    public static double confidence(Ranking ranking) {
        return ranking.empty() ? 0 : ranking.best().cosine + ranking.lead;
    }

    public boolean answers(Ranking ranking) {
        return !passages(ranking).isEmpty();
    }

    /**
     * The passages to answer from for a question searched with its conversation: as for a single
     * question, with the context's ranking, and for a follow-up also the question's own cosine to
     * the best passage ({@link #followUpCosine}).
     */
    public List<Ranking.Candidate> passages(FollowUpSearch.Result found, HybridIndex index, float[] questionVector) {
        if (found.followUp() && !found.ranking.empty() && followUpCosine > 0
                && index.vectors().similarity(questionVector, found.ranking.best().position) < followUpCosine) {
            return List.of();
        }
        return passages(found.ranking);
    }

    /** The passages to answer from, best first; empty when the question is rejected. */
    public List<Ranking.Candidate> passages(Ranking ranking) {
        if (ranking.empty() || (minConfidence > 0 && confidence(ranking) < minConfidence)) {
            return List.of();
        }
        List<Ranking.Candidate> kept = new ArrayList<>();
        for (Ranking.Candidate candidate : ranking.candidates) {
            if (cosineFloor <= 0 || candidate.cosine >= cosineFloor) {
                kept.add(candidate);
            }
        }
        return kept;
    }
}
