package io.jingnei.core.rag;

import io.jingnei.core.llm.ChatMessage;
import io.jingnei.core.embed.Embedder;
import io.jingnei.core.index.Fusion;
import io.jingnei.core.index.HybridIndex;
import io.jingnei.core.index.Ranking;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Search for the last question of a conversation. Customers rarely repeat themselves ("信用卡呢？"
 * after "借记卡丢了怎么办"), but no fixed way of joining turns works: context fixes ellipsis and
 * pronouns and ruins topic shifts and condition switches. So the question is searched twice, alone
 * and in context (the earlier user turns before it, their words weighing less than the question's
 * own), and the two rankings' fused scores are averaged. A topic shift keeps its own article because
 * the standalone ranking puts it far ahead; a condition switch ("信用卡呢？") because the new
 * condition's words weigh more than the earlier topic's. Measured alternatives that did not help on
 * the conversation dev set: taking a confident question alone, a bonus for chunks both rankings
 * agree on, a larger standalone share when the question's closest chunk by meaning is also its best by
 * words, the earlier turn joined to the question as one embedded text (docs/rag.md). Pure
 * computation over an index; thread-safe.
 */
public final class FollowUpSearch {
    /** How follow-ups are searched; {@link #DEFAULT} was chosen on the conversation dev set (README). */
    public static final class Settings {
        public static final Settings DEFAULT = new Settings(1, 0.5, 1.5, 0.5);

        /** Earlier user turns read with the question (the most recent ones). */
        public final int userTurns;
        /** How much the earlier turns' words weigh in the context's lexical scores, the question's own weighing 1. */
        public final double earlierWords;
        /** How much the earlier turns' embedding weighs in the context's (normalised sum with the question's). */
        public final double earlierMeaning;
        /** The standalone ranking's share in the fused score; the context's is the rest. */
        public final double standaloneShare;

        public Settings(int userTurns, double earlierWords, double earlierMeaning, double standaloneShare) {
            this.userTurns = userTurns;
            this.earlierWords = earlierWords;
            this.earlierMeaning = earlierMeaning;
            this.standaloneShare = standaloneShare;
        }
    }

    /** What was searched and found: the ranking to answer from, and the two it came from. */
    public static final class Result {
        public final Ranking ranking;
        public final Ranking standalone;
        /** Null when the question had no earlier user turn or stood alone. */
        public final Ranking context;
        /** The earlier turns' cosine to the best passage found; 0 when not a follow-up. */
        public final double earlierCosine;
        /** {@link FollowUpRule#newWordCoverage} of the best passage found; 1 when not a follow-up. */
        public final double newWordCoverage;

        Result(Ranking ranking, Ranking standalone, Ranking context) {
            this(ranking, standalone, context, 0, 1);
        }

        public Result(Ranking ranking, Ranking standalone, Ranking context, double earlierCosine, double newWordCoverage) {
            this.ranking = ranking;
            this.standalone = standalone;
            this.context = context;
            this.earlierCosine = earlierCosine;
            this.newWordCoverage = newWordCoverage;
        }

        public boolean followUp() {
            return context != null;
        }
    }

    private final Settings settings;

    public FollowUpSearch(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** The earlier user turns the question is read with, oldest first; empty when there are none. */
    public String earlier(List<ChatMessage> history) {
        List<String> turns = new ArrayList<>();
        if (history != null) {
            for (int i = history.size() - 1; i >= 0 && turns.size() < settings.userTurns; i--) {
                ChatMessage turn = history.get(i);
                if ("user".equals(turn.role) && turn.content != null && !turn.content.isBlank()) {
                    turns.add(0, turn.content.strip());
                }
            }
        }
        return String.join("\n", turns);
    }

    /**
     * {@code earlierVector}: the embedding of {@code earlier} ({@link #earlier}); ignored (may be
     * null) when {@code earlier} is empty.
     */
    public Result search(HybridIndex index, Fusion fusion, int k, String question, float[] questionVector, String earlier,
                         float[] earlierVector) {
        int pool = Math.max(k, fusion.pool);
        float[] questionWords = index.lexicalScores(question, fusion);
        if (earlier.isEmpty()) {
            Ranking standalone = index.search(questionVector, questionWords, pool, fusion);
            return new Result(top(standalone, k), standalone, null);
        }
        float[] contextWords = questionWords == null ? null : mix(questionWords, index.lexicalScores(earlier, fusion), settings.earlierWords);
        float[] contextVector = Embedder.normalise(mix(questionVector, earlierVector, settings.earlierMeaning));
        List<Ranking> both = index.search(new float[][] {questionVector, contextVector}, new float[][] {questionWords, contextWords}, pool, fusion);
        Ranking standalone = both.get(0);
        Ranking context = both.get(1);
        if (standalone.empty()) {
            return new Result(standalone, standalone, null);
        }
        Ranking fused = fuse(index, contextVector, standalone, context, k, settings.standaloneShare);
        // What FollowUpRule reads: one more cosine and a few idf look-ups, no further scan.
        int best = fused.best().position;
        return new Result(fused, standalone, context, index.vectors().similarity(earlierVector, best),
                FollowUpRule.newWordCoverage(index, question, earlier, index.chunk(best).text));
    }

    private static float[] mix(float[] question, float[] earlier, double weight) {
        float[] mixed = new float[question.length];
        for (int i = 0; i < mixed.length; i++) {
            mixed[i] = question[i] + (float) weight * earlier[i];
        }
        return mixed;
    }

    /**
     * Each chunk's fused score in both rankings, weighed by {@link Settings#standaloneShare}; a chunk
     * missing from one ranking counts that ranking's last score there. The cosines kept are to the
     * question in context, and so is the lead (the rejection rule reads them).
     */
    private static Ranking fuse(HybridIndex index, float[] contextVector, Ranking standalone, Ranking context, int k, double share) {
        Map<Integer, Double> alone = scores(standalone);
        Map<Integer, Double> inContext = scores(context);
        double aloneFloor = last(standalone);
        double contextFloor = last(context);
        Map<Integer, Ranking.Candidate> byPosition = new HashMap<>();
        for (Ranking.Candidate c : context.candidates) {
            byPosition.put(c.position, c);
        }
        for (Ranking.Candidate c : standalone.candidates) {
            byPosition.computeIfAbsent(c.position, p -> new Ranking.Candidate(p, index.vectors().similarity(contextVector, p), c.lexical, c.score));
        }
        List<Ranking.Candidate> fused = new ArrayList<>();
        for (Ranking.Candidate c : byPosition.values()) {
            double score = share * alone.getOrDefault(c.position, aloneFloor) + (1 - share) * inContext.getOrDefault(c.position, contextFloor);
            fused.add(new Ranking.Candidate(c.position, c.cosine, c.lexical, score));
        }
        fused.sort(Comparator.comparingDouble((Ranking.Candidate c) -> -c.score).thenComparingInt(c -> c.position));
        return new Ranking(new ArrayList<>(fused.subList(0, Math.min(k, fused.size()))), context.lead);
    }

    private static Map<Integer, Double> scores(Ranking ranking) {
        Map<Integer, Double> scores = new HashMap<>();
        for (Ranking.Candidate c : ranking.candidates) {
            scores.put(c.position, c.score);
        }
        return scores;
    }

    private static double last(Ranking ranking) {
        return ranking.candidates.get(ranking.candidates.size() - 1).score;
    }

    private static Ranking top(Ranking ranking, int k) {
        return ranking.candidates.size() <= k ? ranking
                : new Ranking(new ArrayList<>(ranking.candidates.subList(0, k)), ranking.lead);
    }
}
