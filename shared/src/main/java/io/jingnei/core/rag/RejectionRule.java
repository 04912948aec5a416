package io.jingnei.core.rag;

import io.jingnei.core.index.HybridIndex;
import io.jingnei.core.index.LexicalIndex;
import io.jingnei.core.index.Ranking;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether the knowledge base answers a question, from its ranking: no passage whose cosine is
 * below {@code cosineFloor} is used, and the question is answered only when the best passage's
 * score reaches {@code minConfidence}. The score ({@link #score}) is its confidence, its cosine plus
 * its lead over the ten closest passages ({@link Ranking#lead}), and for a single question also how
 * much of the question its words cover ({@link LexicalIndex#coverageCountingUnknown}: words the knowledge base
 * uses elsewhere but this passage lacks count against it) above what is typical of a question
 * nothing answers. A lone cosine threshold cannot tell a question the knowledge base
 * answers from one in the same domain that nothing answers: both are close to its articles, but
 * only the first is much closer to one of them than to the rest, and does not hinge on things
 * the knowledge base names elsewhere but its best passage does not. Chosen on the retrieval dev sets (the first and the hard one) by
 * leave-one-domain-out cross-validation (docs/rag.md).
 */
public final class RejectionRule {
    /**
     * The bar on {@link #score}. With the coverage term it answers 96.6% of both dev sets'
     * answerable questions with a right article (first set 0.976, hard set 0.955; cosine + lead
     * alone 0.971 and 0.911) and rejects more same-domain unanswerable ones than cosine + lead
     * alone (0.585 and 0.604 against 0.488 and 0.583; RetrievalDevSetIT, docs/rag.md). Kept
     * at 0.655 so that follow-ups and dense-only indexes, which have no coverage term, are judged
     * exactly as before; {@link #TYPICAL_UNANSWERED_COVERAGE} carries the procedure's own bar.
     */
    public static final double DEFAULT_MIN_CONFIDENCE = 0.655;

    /**
     * Score per unit of coverage above {@link #TYPICAL_UNANSWERED_COVERAGE}: the ratio of the
     * coverage weight to the confidence weight in a logistic regression over (cosine + lead,
     * coverage) on both dev sets is 0.56; fixed weights 0.4 to 0.6 give held-out near-domain
     * rejection 0.56-0.63 at held-out answered 0.948-0.960 (0.5: 0.596 at 0.960, leave one
     * domain out). Coverage is near 1 for most questions (median 0.88 answerable, 0.76 near-domain),
     * so this moves the score by about -0.1 to +0.1; only a passage lacking most of what the
     * knowledge base knows of the question loses more (down to -0.4 at coverage 0).
     */
    public static final double COVERAGE_WEIGHT = 0.5;

    /**
     * Coverage at which a single question's score equals its confidence: where the procedure puts
     * the bar (confidence - 0.5 x (1 - coverage) >= 0.556, the bar answering 96.5% of both dev
     * sets' answerable questions on all six domains), between the medians of same-domain
     * unanswerable questions (0.76) and answerable ones (0.88). A question covered more than that
     * gains, one covered less loses; a ranking without a coverage (a follow-up, a dense-only index)
     * keeps its confidence, so the bar means the same for it.
     */
    public static final double TYPICAL_UNANSWERED_COVERAGE = 0.80;

    public final double cosineFloor;
    public final double minConfidence;
    /** What else rejects a follow-up ({@link FollowUpRule}); with {@code minConfidence} 0 nothing is rejected for it. */
    public final FollowUpRule followUps;

    public RejectionRule(double cosineFloor, double minConfidence) {
        this(cosineFloor, minConfidence, FollowUpRule.DEFAULT);
    }

    public RejectionRule(double cosineFloor, double minConfidence, FollowUpRule followUps) {
        this.cosineFloor = cosineFloor;
        this.minConfidence = minConfidence;
        this.followUps = followUps;
    }

    /**
     * A request's own {@code threshold}: the plain cosine rule of the first round, passage by
     * passage, and nothing at all rejected at 0 or below (evaluation and debugging).
     */
    public static RejectionRule plainThreshold(double threshold) {
        return new RejectionRule(threshold, 0);
    }

    /** The best passage's cosine plus its lead: the score without coverage, what a follow-up's in-context ranking is judged by. */
    public static double confidence(Ranking ranking) {
        return ranking.empty() ? 0 : ranking.best().cosine + ranking.lead;
    }

    /**
     * What {@code minConfidence} is compared with: {@link #confidence} plus
     * {@link #COVERAGE_WEIGHT} × (coverage − {@link #TYPICAL_UNANSWERED_COVERAGE}); coverage NaN
     * (unknown) adds nothing.
     */
    public static double score(Ranking ranking, double coverage) {
        double confidence = confidence(ranking);
        return Double.isNaN(coverage) || ranking.empty() ? confidence : confidence + COVERAGE_WEIGHT * (coverage - TYPICAL_UNANSWERED_COVERAGE);
    }

    /**
     * The coverage a question's score counts: of the question by its best passage for a single
     * question, NaN (none) for a follow-up, whose own words are the conversation's to complete
     * and whose rule ({@link FollowUpRule}) was chosen on confidence alone, and for an index
     * without a lexical part.
     */
    public static double coverage(FollowUpSearch.Result found, HybridIndex index, String question) {
        return found.followUp() || found.ranking.empty() ? Double.NaN : index.coverageCountingUnknown(question, found.ranking.best().position);
    }

    /**
     * The passages to answer from for a question searched with its conversation ({@link #answers}),
     * best first; empty when it is rejected.
     */
    public List<Ranking.Candidate> passages(FollowUpSearch.Result found) {
        return passages(found, Double.NaN);
    }

    /** As {@link #passages(FollowUpSearch.Result)}, a single question scored with its {@link #coverage}. */
    public List<Ranking.Candidate> passages(FollowUpSearch.Result found, double coverage) {
        return answers(found, coverage) ? aboveFloor(found.ranking) : List.of();
    }

    /**
     * Whether the knowledge base answers this question: a single question when its {@link #score}
     * reaches the bar; a follow-up when it is not one only its conversation answers
     * ({@link FollowUpRule}) and either its in-context ranking's confidence reaches the bar or it
     * stands on its own ({@link #standsAlone}). Everything is answered with {@code minConfidence} 0.
     */
    public boolean answers(FollowUpSearch.Result found, double coverage) {
        if (found.ranking.empty()) {
            return false;
        }
        if (minConfidence <= 0) {
            return true;
        }
        if (!found.followUp()) {
            return score(found.ranking, coverage) >= minConfidence;
        }
        return !followUps.rejects(found) && (standsAlone(found) || score(found.ranking, Double.NaN) >= minConfidence);
    }

    /**
     * Whether a follow-up would be answered, with the same article, had it been asked alone: its
     * standalone ranking passes the single-question rule and puts first the article the
     * conversation does. Such a question does not need the in-context confidence, which earlier
     * turns about something else lower (a topic shift after two questions on another article:
     * conversation dev set, answered right 0.852 -> 0.866, topic shifts 0.89 -> 0.96, unanswerable
     * follow-ups rejected unchanged at 0.604). It still answers to the follow-up rule: letting it
     * bypass that rule too answered 0.873 but rejected only 0.354, because a same-domain question
     * nothing answers often passes the single-question rule on the article just discussed.
     */
    boolean standsAlone(FollowUpSearch.Result found) {
        return !Double.isNaN(found.standaloneCoverage) && score(found.standalone, found.standaloneCoverage) >= minConfidence;
    }

    /** The passages to answer from, best first; empty when the question is rejected. Scored by confidence alone. */
    public List<Ranking.Candidate> passages(Ranking ranking) {
        return passages(ranking, Double.NaN);
    }

    /** The passages to answer from for a single question's ranking scored with this coverage (NaN: none); empty when rejected. */
    public List<Ranking.Candidate> passages(Ranking ranking, double coverage) {
        return passages(new FollowUpSearch.Result(ranking, ranking, null), coverage);
    }

    /** The ranking's candidates at or above {@code cosineFloor}, best first. */
    public List<Ranking.Candidate> aboveFloor(Ranking ranking) {
        List<Ranking.Candidate> kept = new ArrayList<>();
        for (Ranking.Candidate candidate : ranking.candidates) {
            if (cosineFloor <= 0 || candidate.cosine >= cosineFloor) {
                kept.add(candidate);
            }
        }
        return kept;
    }
}
