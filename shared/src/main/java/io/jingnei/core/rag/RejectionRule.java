package io.jingnei.core.rag;

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
     * How much of a follow-up's confidence may come from its conversation: one whose question alone
     * is below the bar is answered only when its confidence in context exceeds its own by at most
     * this. The conversation keeps the earlier article close to whatever is asked next, so the
     * context lifts a follow-up that no article answers ("这个会员能送给朋友用吗" after "PLUS会员有哪些权益")
     * as far above the bar as a real one; what tells them apart, in part, is how much of the lift
     * the question leaves to the conversation. A question that clears the bar alone never
     * needs its context's leave. Chosen on the conversation dev set, leave-one-domain-out
     * (docs/rag.md): it rejects a third of the unanswerable follow-ups while answering more of the
     * others than the own-cosine floor it replaces.
     */
    public static final double DEFAULT_MAX_CONTEXT_LIFT = 0.28;

    public final double cosineFloor;
    public final double minConfidence;
    /** {@link #DEFAULT_MAX_CONTEXT_LIFT}; with {@code minConfidence} 0 nothing is rejected for it. */
    public final double maxContextLift;

    public RejectionRule(double cosineFloor, double minConfidence) {
        this(cosineFloor, minConfidence, DEFAULT_MAX_CONTEXT_LIFT);
    }

    public RejectionRule(double cosineFloor, double minConfidence, double maxContextLift) {
        this.cosineFloor = cosineFloor;
        this.minConfidence = minConfidence;
        this.maxContextLift = maxContextLift;
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
     * question, with the in-context ranking, and a follow-up whose question alone is below the bar
     * is rejected when the conversation lends it more than {@link #maxContextLift}.
     */
    public List<Ranking.Candidate> passages(FollowUpSearch.Result found) {
        return leansOnContext(found) ? List.of() : passages(found.ranking);
    }

    /** Whether a follow-up's confidence comes from its conversation more than the rule allows. */
    public boolean leansOnContext(FollowUpSearch.Result found) {
        if (!found.followUp() || minConfidence <= 0 || found.ranking.empty()) {
            return false;
        }
        double own = confidence(found.standalone);
        return own < minConfidence && confidence(found.context) - own > maxContextLift;
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
