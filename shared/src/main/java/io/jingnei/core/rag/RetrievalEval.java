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

    public RetrievalEval(HybridIndex index, List<EvalQuestion> questions, List<float[]> vectors) {
        this.index = index;
        this.questions = questions;
        this.vectors = vectors;
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

        Outcome(EvalQuestion question, List<String> ranked, Ranking shown, List<String> shownDocs) {
            this.question = question;
            this.ranked = ranked;
            this.shown = shown;
            this.shownDocs = shownDocs;
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
            for (Ranking.Candidate c : rule.passages(shown)) {
                docs.add(shownDocs.get(shown.candidates.indexOf(c)));
            }
            return docs;
        }

        public boolean answeredRight(RejectionRule rule) {
            return answeredWith(rule).stream().anyMatch(question.expected::contains);
        }

        public double confidence() {
            return RejectionRule.confidence(shown);
        }
    }

    public List<Outcome> run(Fusion fusion, int topK) {
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < questions.size(); i++) {
            EvalQuestion q = questions.get(i);
            Ranking ranking = index.search(vectors.get(i), q.question, 2 * RANKED, fusion);
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
            outcomes.add(new Outcome(q, new ArrayList<>(ranked), shown, shownDocs));
        }
        return outcomes;
    }

    public EvalReport report(Fusion fusion, RejectionRule rule, int topK, int worst) {
        return EvalReport.of(run(fusion, topK), rule, topK, worst, SWEEP);
    }
}
