package io.jingnei.core.rag;

import io.jingnei.core.embed.Embedder;
import io.jingnei.core.index.Fusion;
import io.jingnei.core.index.HybridIndex;
import io.jingnei.core.index.Ranking;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How well an index answers a set of questions, measured the way rag-query searches: documents
 * ranked by their best chunk. Questions are embedded once ({@link #embed}) so many settings can be
 * compared on the same vectors (the tuning bench does). Pure computation; not thread-safe.
 */
public final class RetrievalEval {
    static final int RANKED = 10;
    /** The confidence bars the sweep table shows, besides the shipped one. */
    static final double[] SWEEP = {0, 0.55, 0.58, 0.60, 0.62, 0.64, 0.655, 0.67, 0.69, 0.72, 0.75};

    private final HybridIndex index;
    private final List<EvalQuestion> questions;
    private final List<float[]> vectors;
    /** Per question, the embedding of its conversation's earlier turns ({@link FollowUpSearch#earlier}); null without any. */
    private final List<float[]> earlierVectors;
    private final FollowUpSearch followUps;

    /** Single questions only (a conversation's history is ignored). */
    public RetrievalEval(HybridIndex index, List<EvalQuestion> questions, List<float[]> vectors) {
        this(index, questions, vectors, null, new FollowUpSearch(FollowUpSearch.Settings.DEFAULT));
    }

    public RetrievalEval(HybridIndex index, List<EvalQuestion> questions, List<float[]> vectors, List<float[]> earlierVectors,
                         FollowUpSearch followUps) {
        this.index = index;
        this.questions = questions;
        this.vectors = vectors;
        this.earlierVectors = earlierVectors;
        this.followUps = followUps;
    }

    /** Per question, the embedding of its conversation's earlier turns, or null for a single question. */
    public static List<float[]> embedEarlier(Embedder embedder, List<EvalQuestion> questions, FollowUpSearch followUps) {
        List<String> texts = new ArrayList<>();
        List<Integer> which = new ArrayList<>();
        for (int i = 0; i < questions.size(); i++) {
            String earlier = followUps.earlier(questions.get(i).history, questions.get(i).question);
            if (!earlier.isEmpty()) {
                texts.add(earlier);
                which.add(i);
            }
        }
        List<float[]> vectors = new ArrayList<>(java.util.Collections.nCopies(questions.size(), (float[]) null));
        for (int from = 0; from < texts.size(); from += 64) {
            List<float[]> batch = embedder.embed(texts.subList(from, Math.min(texts.size(), from + 64)));
            for (int j = 0; j < batch.size(); j++) {
                vectors.set(which.get(from + j), batch.get(j));
            }
        }
        return vectors;
    }

    public static List<float[]> embed(Embedder embedder, List<EvalQuestion> questions) {
        List<String> texts = new ArrayList<>();
        questions.forEach(q -> texts.add(q.question));
        List<float[]> vectors = new ArrayList<>();
        for (int from = 0; from < texts.size(); from += 64) {
            vectors.addAll(embedder.embed(texts.subList(from, Math.min(texts.size(), from + 64))));
        }
        return vectors;
    }

    /** What one question got: the documents ranked (best first, at most ten) and the top k the rule sees. */
    public static final class Outcome {
        public final EvalQuestion question;
        public final List<String> ranked;
        /** The top k candidates, as rag-query would show them. */
        public final Ranking shown;
        private final List<String> shownDocs;
        /** How the question was searched: alone, or as a follow-up in its conversation. */
        public final FollowUpSearch.Result search;
        /** {@link RejectionRule#coverage}: NaN for a follow-up. */
        public final double coverage;

        Outcome(EvalQuestion question, List<String> ranked, Ranking shown, List<String> shownDocs, FollowUpSearch.Result search,
                double coverage) {
            this.question = question;
            this.ranked = ranked;
            this.shown = shown;
            this.shownDocs = shownDocs;
            this.search = search;
            this.coverage = coverage;
        }

        /** 1-based rank of the first right document within the ten, or 0. */
        public int rank() {
            for (int i = 0; i < ranked.size(); i++) {
                if (question.expected.contains(ranked.get(i))) {
                    return i + 1;
                }
            }
            return 0;
        }

        /** The documents a rule answers with (empty: rejected). */
        public List<String> answeredWith(RejectionRule rule) {
            List<String> docs = new ArrayList<>();
            if (!rule.answers(search, coverage)) {
                return docs;
            }
            for (Ranking.Candidate c : rule.aboveFloor(shown)) {
                docs.add(shownDocs.get(shown.candidates.indexOf(c)));
            }
            return docs;
        }

        public boolean answeredRight(RejectionRule rule) {
            return answeredWith(rule).stream().anyMatch(question.expected::contains);
        }

        /** What the confidence bar is compared with ({@link RejectionRule#score}). */
        public double confidence() {
            return RejectionRule.score(shown, coverage);
        }
    }

    public List<Outcome> run(Fusion fusion, int topK) {
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < questions.size(); i++) {
            EvalQuestion q = questions.get(i);
            float[] earlier = earlierVectors == null ? null : earlierVectors.get(i);
            FollowUpSearch.Result search = followUps.search(index, fusion, 2 * RANKED, q.question, vectors.get(i),
                    earlier == null ? "" : followUps.earlier(q.history, q.question), earlier);
            Ranking ranking = search.ranking;
            Set<String> ranked = new LinkedHashSet<>();
            for (Ranking.Candidate c : ranking.candidates) {
                if (ranked.size() < RANKED) {
                    ranked.add(index.chunk(c.position).docId);
                }
            }
            Ranking shown = new Ranking(ranking.candidates.subList(0, Math.min(topK, ranking.candidates.size())), ranking.lead);
            List<String> shownDocs = new ArrayList<>();
            for (Ranking.Candidate c : shown.candidates) {
                shownDocs.add(index.chunk(c.position).docId);
            }
            outcomes.add(new Outcome(q, new ArrayList<>(ranked), shown, shownDocs, search, RejectionRule.coverage(search, index, q.question)));
        }
        return outcomes;
    }

    public EvalReport report(Fusion fusion, RejectionRule rule, int topK, int worst) {
        return EvalReport.of(run(fusion, topK), rule, topK, worst, SWEEP);
    }
}
