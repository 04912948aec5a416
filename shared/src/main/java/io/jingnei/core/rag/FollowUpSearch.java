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
import java.util.regex.Pattern;

/**
 * Search for the last question of a conversation. Customers rarely repeat themselves ("信用卡呢？"
 * after "借记卡丢了怎么办"), but no fixed way of joining turns works: context fixes ellipsis and
 * pronouns and ruins topic shifts and condition switches. So the question is searched twice, alone
 * and in context (the earlier user turns before it, their words weighing less than the question's
 * own), and the two rankings' fused scores are averaged. A topic shift keeps its own article because
 * the standalone ranking puts it far ahead; a condition switch ("信用卡呢？") because the new
 * condition's words weigh more than the earlier topic's, and a question shaped like one loses some
 * score on the earlier turn's article ({@link Settings#switchPenalty}). A question unsure alone
 * leaves the lead to its conversation ({@link Settings#unsureBelow}); one that announces a new topic
 * ("另外，…") is searched alone ({@link #announcesNewTopic}). Measured alternatives that
 * did not help on the conversation dev set: taking a confident question alone, a bonus for chunks
 * both rankings agree on, a larger standalone share when the question's closest chunk by meaning is
 * also its best by words, the earlier turn joined to the question as one embedded text, the
 * question's new words weighing more in the context's lexical scores (docs/rag.md). Pure
 * computation over an index; thread-safe.
 */
public final class FollowUpSearch {
    /** How follow-ups are searched; {@link #DEFAULT} was chosen on the conversation dev set (README). */
    public static final class Settings {
        public static final Settings DEFAULT = new Settings(3, 0.5, 1.5, 0.5, 1.0, 0.68, 0.2);

        /**
         * Earlier user turns read with the question (the most recent ones, joined into one text).
         * Three, because a conversation's topic is often set two or three questions back ("工资卡丢了"
         * / "卡号会换吗" / "那要是信用卡呢"): on the conversation dev set's 40 conversations with three
         * or four user turns, hit@1 / hit@3 0.66 / 0.69 reading one earlier turn, 0.75 / 0.84 two,
         * 0.78 / 0.91 three (the other settings, grid-searched again at three, stayed where they
         * were). Embedding each earlier turn on its own and summing them, older ones weighing 0.3 to 1
         * of the next, did worse (0.66-0.72 / 0.81-0.88), so the turns are embedded as one text,
         * oldest first (newest first: 0.66 / 0.91).
         */
        public final int userTurns;
        /** How much the earlier turns' words weigh in the context's lexical scores, the question's own weighing 1. */
        public final double earlierWords;
        /** How much the earlier turns' embedding weighs in the context's (normalised sum with the question's). */
        public final double earlierMeaning;
        /** The standalone ranking's share in the fused score; the context's is the rest. */
        public final double standaloneShare;
        /**
         * Taken off the fused score (a z-score scale) of the earlier turn's article when the question
         * has the shape of a condition switch ({@link #switchesCondition}): "过了犹豫期呢" after
         * "犹豫期内退保能退多少" asks about something else than what was just answered, yet the
         * conversation keeps that article first. A penalty, not an exclusion: a switch can stay on the
         * same article ("寄到新疆呢" after "自营的满多少包邮"). 1.0 was chosen by four of the five
         * leave-one-domain-out folds (0.5 by the fifth); conversation dev set, held out by domain:
         * condition switches hit@1 0.63 -> 0.70, all follow-ups 0.80 -> 0.82, no other kind lower.
         */
        public final double switchPenalty;
        /**
         * A question whose standalone ranking is less confident than this ({@link RejectionRule#confidence})
         * is unsure alone, and its standalone ranking weighs {@link #unsureShare} instead of
         * {@link #standaloneShare}. A terse follow-up alone lands on whatever article answers its few
         * words anywhere in the help centre ("这笔多久能退" after a taxi fare complaint finds the hotel's
         * refund-timing article, "要准备啥证明" after a question on flying with a cat the course
         * certificate), and an even share lets it win; a question that names its own topic (a topic
         * shift) is confident alone and keeps its share. Chosen leave-one-domain-out over the three
         * conversation sets (13 domains; 0.68 and 0.2 in 12 of 13 folds): hit@1 / hit@3 held out 0.766 /
         * 0.955 -> 0.792 / 0.976; blind-1 0.80 -> 0.89, blind-2 0.70 -> 0.76, the dev set 0.780 ->
         * 0.768, whose ellipses more often move to a neighbouring article the question alone finds. On
         * blind-3, written after the choice: 0.75 / 0.91 -> 0.83 / 0.93 (docs/rag.md). 0 turns it off.
         */
        public final double unsureBelow;
        /** The standalone ranking's share for a question unsure alone ({@link #unsureBelow}). */
        public final double unsureShare;

        public Settings(int userTurns, double earlierWords, double earlierMeaning, double standaloneShare) {
            this(userTurns, earlierWords, earlierMeaning, standaloneShare, 0, 0, standaloneShare);
        }

        public Settings(int userTurns, double earlierWords, double earlierMeaning, double standaloneShare, double switchPenalty,
                        double unsureBelow, double unsureShare) {
            this.userTurns = userTurns;
            this.earlierWords = earlierWords;
            this.earlierMeaning = earlierMeaning;
            this.standaloneShare = standaloneShare;
            this.switchPenalty = switchPenalty;
            this.unsureBelow = unsureBelow;
            this.unsureShare = unsureShare;
        }

        /** The same settings with another number of earlier user turns. */
        public Settings withUserTurns(int turns) {
            return new Settings(turns, earlierWords, earlierMeaning, standaloneShare, switchPenalty, unsureBelow, unsureShare);
        }
    }

    /** What was searched and found: the ranking to answer from, and the two it came from. */
    public static final class Result {
        public final Ranking ranking;
        public final Ranking standalone;
        /** Null when the question had no earlier user turn or stood alone. */
        public final Ranking context;
        /** {@link FollowUpRule#newWordCoverage} of the best passage found; 1 when not a follow-up. */
        public final double newWordCoverage;
        /**
         * The question's own coverage by the standalone ranking's best passage
         * ({@link HybridIndex#coverageCountingUnknown}) when that passage's article is also first in
         * {@link #ranking}; NaN otherwise, when not a follow-up, or without a lexical index (what
         * {@link RejectionRule#standsAlone} reads).
         */
        public final double standaloneCoverage;

        Result(Ranking ranking, Ranking standalone, Ranking context) {
            this(ranking, standalone, context, 1, Double.NaN);
        }

        public Result(Ranking ranking, Ranking standalone, Ranking context, double newWordCoverage, double standaloneCoverage) {
            this.ranking = ranking;
            this.standalone = standalone;
            this.context = context;
            this.newWordCoverage = newWordCoverage;
            this.standaloneCoverage = standaloneCoverage;
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

    /**
     * The earlier user turns the question is read with, oldest first; empty when there are none or
     * the question announces a new topic ({@link #announcesNewTopic}), which is then searched alone.
     */
    public String earlier(List<ChatMessage> history, String question) {
        List<String> turns = new ArrayList<>();
        if (history != null && !announcesNewTopic(question)) {
            for (int i = history.size() - 1; i >= 0 && turns.size() < settings.userTurns; i--) {
                ChatMessage turn = history.get(i);
                if ("user".equals(turn.role) && turn.content != null && !turn.content.isBlank()) {
                    turns.add(0, lastChars(turn.content.strip()));
                }
            }
        }
        return String.join("\n", turns);
    }

    /**
     * Characters of each earlier user turn read with the question: its last ones, where a long
     * message usually asks what it asks. History may hold 16,000 characters
     * ({@code JINGNEI_MAX_HISTORY_CHARS}); uncut, a long first turn would fill the embedding model's
     * 512 tokens (the turns are joined oldest first, and the model cuts the end, so the latest turn
     * would be lost) and make the context's lexical scoring cost what a 16,000-character question
     * would (bench/RESULTS.md, hybrid search latency). Three turns of 150 stay within 512 tokens; the
     * dev set's longest user turn has 37 characters.
     */
    static final int TURN_CHARS = 150;

    private static String lastChars(String turn) {
        if (turn.length() <= TURN_CHARS) {
            return turn;
        }
        int from = turn.length() - TURN_CHARS;
        return turn.substring(Character.isLowSurrogate(turn.charAt(from)) ? from + 1 : from);
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
        String avoided = settings.switchPenalty > 0 && switchesCondition(question) ? earlierArticle(index, earlierVector, standalone, context) : null;
        double share = RejectionRule.confidence(standalone) < settings.unsureBelow ? settings.unsureShare : settings.standaloneShare;
        Ranking fused = fuse(index, contextVector, standalone, context, k, share, avoided, settings.switchPenalty);
        // What FollowUpRule and RejectionRule.standsAlone read: two passages' coverage, no further scan.
        int best = fused.best().position;
        int alone = standalone.best().position;
        double aloneCoverage = index.chunk(alone).docId.equals(index.chunk(best).docId) ? index.coverageCountingUnknown(question, alone) : Double.NaN;
        return new Result(fused, standalone, context, FollowUpRule.newWordCoverage(index, question, earlier, best), aloneCoverage);
    }

    /**
     * Whether the question opens by announcing a new topic (对了, 另外, 顺便, 还有, 话说, 换个问题, 再问,
     * 还想问, 此外: "另外，发票在哪下", "对了，买东西能分期不"), and is not shaped like a condition switch
     * ("还有充电宝呢" asks about the earlier topic with another condition). Customers say so when they
     * change the subject, and such a question names its own topic: it is searched and judged alone, as
     * a single question, and its earlier turns are not embedded. In the five blind conversation sets 44
     * of 80 topic shifts open this way, and 2 of the other 420 lines (both unanswerable); searched
     * alone, hit@1 over the six sets 0.778 -> 0.789 and answered right 0.806 -> 0.817, no set lower
     * (docs/rag.md).
     */
    static boolean announcesNewTopic(String question) {
        return question != null && NEW_TOPIC.matcher(question.strip()).lookingAt() && !switchesCondition(question);
    }

    private static final Pattern NEW_TOPIC = Pattern.compile("对了|另外|顺便|还有|话说|换个问题|再问|我?还想问|此外");

    /**
     * Whether the question is shaped like a condition switch, one that keeps the earlier question and
     * changes its condition: it ends in 呢 or 的话 ("信用卡呢", "那去海南呢", "寄到国外的话") or opens with
     * a supposition, after an optional 那 (要是, 如果, 假如, 假设, 万一, 反过来, 换成, 改成). On the
     * conversation dev set 27 of the first 30 condition switches have this shape and none of the 120
     * other follow-ups (a dev set written by hand: real customers vary more). 的话, 假设, 万一, 改成 and
     * the leading 那 were added without a dev line that needs them, as the same shapes in other words.
     * A question word makes it a question of its own, often about the same article ("补卡要多久呢",
     * "如果超过7天了还能退吗"), so such a question is never taken for a switch; none of the dev set's
     * switches has one.
     */
    static boolean switchesCondition(String question) {
        String q = TRAILING_PUNCTUATION.matcher(question.strip()).replaceAll("");
        return (q.endsWith("呢") || q.endsWith("的话") || SUPPOSITION.matcher(q).lookingAt()) && !QUESTION_WORD.matcher(q).find();
    }

    private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[？?。.!！~～\\s]+$");
    /** A supposition opening the question, after an optional 那/那么 ("那要是寄到国外"). */
    private static final Pattern SUPPOSITION = Pattern.compile("(那么?[，,]?)?(要是|如果|假如|假设|万一|反过来|换成|改成)");
    /**
     * Words that ask: how long, how, what, how much, which, how many, who, whether, why, and the
     * A-not-A question ("会不会扣钱呢", "有没有优惠呢", "要不要寄回去呢"): a question asked of the same
     * article, which a penalty on that article would push down. 几 and 谁 and the A-not-A form were
     * added without a dev line that needs them (the dev set's shapes are unchanged).
     */
    private static final Pattern QUESTION_WORD = Pattern.compile(
            "多久|多长|多少|几|谁|怎么|怎样|如何|什么|啥|哪|为什么|为啥|是否|能否|([\\p{IsHan}])[不没]\\1|吗$|么$");

    /** The article of the candidate closest in meaning to the earlier turn: what it was answered with. */
    private static String earlierArticle(HybridIndex index, float[] earlierVector, Ranking standalone, Ranking context) {
        int best = -1;
        float bestCosine = -2;
        for (Ranking ranking : List.of(standalone, context)) {
            for (Ranking.Candidate c : ranking.candidates) {
                float cosine = index.vectors().similarity(earlierVector, c.position);
                if (cosine > bestCosine) {
                    bestCosine = cosine;
                    best = c.position;
                }
            }
        }
        return index.chunk(best).docId;
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
    private static Ranking fuse(HybridIndex index, float[] contextVector, Ranking standalone, Ranking context, int k, double share,
                                String avoided, double penalty) {
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
            if (avoided != null && avoided.equals(index.chunk(c.position).docId)) {
                score -= penalty;
            }
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
