package io.jingnei.core.rag;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The figures of one evaluation: what {@code eval} prints, and its {@code --json}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"in_scope", "out_of_scope", "hit_at_1", "hit_at_3", "mrr_at_10", "answered_at_default", "out_of_scope_rejected",
        "near_rejected", "far_rejected", "by_kind", "rule", "sweep", "worst_misses"})
public final class EvalReport {
    @JsonProperty("in_scope")
    public final int inScope;
    @JsonProperty("out_of_scope")
    public final int outOfScope;
    @JsonProperty("hit_at_1")
    public final Double hit1;
    @JsonProperty("hit_at_3")
    public final Double hit3;
    @JsonProperty("mrr_at_10")
    public final Double mrr10;
    /** In-scope questions answered, with a right document among the sources, by the shipped rule. */
    @JsonProperty("answered_at_default")
    public final Double answeredAtDefault;
    @JsonProperty("out_of_scope_rejected")
    public final Double outOfScopeRejected;
    @JsonProperty("near_rejected")
    public final Double nearRejected;
    @JsonProperty("far_rejected")
    public final Double farRejected;
    /** Per kind (the lines' {@code kind}; unanswerable lines have none): hit@1, hit@3 and answered. */
    @JsonProperty("by_kind")
    public final java.util.Map<String, Kind> byKind;
    public final Rule rule;
    public final List<Sweep> sweep;
    @JsonProperty("worst_misses")
    public final List<Miss> worstMisses;

    private EvalReport(List<RetrievalEval.Outcome> outcomes, RejectionRule shipped, int topK, int worst, double[] bars) {
        List<RetrievalEval.Outcome> in = new ArrayList<>();
        List<RetrievalEval.Outcome> out = new ArrayList<>();
        outcomes.forEach(o -> (o.question.inScope() ? in : out).add(o));
        inScope = in.size();
        outOfScope = out.size();
        hit1 = share(in, o -> o.rank() == 1);
        hit3 = share(in, o -> o.rank() >= 1 && o.rank() <= 3);
        mrr10 = in.isEmpty() ? null : round(in.stream().mapToDouble(o -> o.rank() == 0 ? 0 : 1.0 / o.rank()).sum() / in.size());
        rule = new Rule(shipped.cosineFloor, shipped.minConfidence, topK);
        Sweep at = new Sweep(in, out, shipped);
        answeredAtDefault = at.answered;
        outOfScopeRejected = at.outOfScopeRejected;
        nearRejected = at.nearRejected;
        farRejected = at.farRejected;
        java.util.Map<String, List<RetrievalEval.Outcome>> kinds = new java.util.TreeMap<>();
        in.stream().filter(o -> o.question.kind != null).forEach(o -> kinds.computeIfAbsent(o.question.kind, k -> new ArrayList<>()).add(o));
        byKind = kinds.isEmpty() ? null : new java.util.LinkedHashMap<>();
        kinds.forEach((kind, list) -> byKind.put(kind, new Kind(list, shipped)));
        sweep = new ArrayList<>();
        for (double bar : bars) {
            sweep.add(new Sweep(in, out, new RejectionRule(shipped.cosineFloor, bar, shipped.followUps)));
        }
        worstMisses = new ArrayList<>();
        in.stream().filter(o -> !o.answeredRight(shipped))
                .sorted(Comparator.comparingInt((RetrievalEval.Outcome o) -> o.rank() == 0 ? Integer.MAX_VALUE : o.rank()).reversed()
                        .thenComparingDouble(RetrievalEval.Outcome::confidence))
                .limit(worst).forEach(o -> worstMisses.add(new Miss(o, shipped)));
    }

    static EvalReport of(List<RetrievalEval.Outcome> outcomes, RejectionRule shipped, int topK, int worst, double[] bars) {
        return new EvalReport(outcomes, shipped, topK, worst, bars);
    }

    private static Double share(List<RetrievalEval.Outcome> outcomes, java.util.function.Predicate<RetrievalEval.Outcome> test) {
        return outcomes.isEmpty() ? null : round(outcomes.stream().filter(test).count() / (double) outcomes.size());
    }

    private static double round(double value) {
        return Math.round(value * 10000) / 10000.0;
    }

    @JsonPropertyOrder({"lines", "hit_at_1", "hit_at_3", "answered"})
    public static final class Kind {
        public final int lines;
        @JsonProperty("hit_at_1")
        public final Double hit1;
        @JsonProperty("hit_at_3")
        public final Double hit3;
        public final Double answered;

        Kind(List<RetrievalEval.Outcome> outcomes, RejectionRule rule) {
            lines = outcomes.size();
            hit1 = share(outcomes, o -> o.rank() == 1);
            hit3 = share(outcomes, o -> o.rank() >= 1 && o.rank() <= 3);
            answered = share(outcomes, o -> o.answeredRight(rule));
        }
    }

    public static final class Rule {
        @JsonProperty("cosine_floor")
        public final double cosineFloor;
        @JsonProperty("min_confidence")
        public final double minConfidence;
        @JsonProperty("top_k")
        public final int topK;

        Rule(double cosineFloor, double minConfidence, int topK) {
            this.cosineFloor = cosineFloor;
            this.minConfidence = minConfidence;
            this.topK = topK;
        }
    }

    /** The rule at one confidence bar: what it answers and rejects. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"min_confidence", "answered", "in_scope_rejected", "out_of_scope_rejected", "near_rejected", "far_rejected"})
    public static final class Sweep {
        @JsonProperty("min_confidence")
        public final double minConfidence;
        public final Double answered;
        @JsonProperty("in_scope_rejected")
        public final Double inScopeRejected;
        @JsonProperty("out_of_scope_rejected")
        public final Double outOfScopeRejected;
        @JsonProperty("near_rejected")
        public final Double nearRejected;
        @JsonProperty("far_rejected")
        public final Double farRejected;

        Sweep(List<RetrievalEval.Outcome> in, List<RetrievalEval.Outcome> out, RejectionRule rule) {
            minConfidence = rule.minConfidence;
            answered = share(in, o -> o.answeredRight(rule));
            inScopeRejected = share(in, o -> o.answeredWith(rule).isEmpty());
            outOfScopeRejected = share(out, o -> o.answeredWith(rule).isEmpty());
            List<RetrievalEval.Outcome> near = new ArrayList<>();
            List<RetrievalEval.Outcome> far = new ArrayList<>();
            out.forEach(o -> {
                if (Boolean.TRUE.equals(o.question.near)) {
                    near.add(o);
                } else if (Boolean.FALSE.equals(o.question.near)) {
                    far.add(o);
                }
            });
            nearRejected = share(near, o -> o.answeredWith(rule).isEmpty());
            farRejected = share(far, o -> o.answeredWith(rule).isEmpty());
        }
    }

    /** An in-scope question the shipped rule did not answer with a right document. */
    public static final class Miss {
        public final String q;
        public final List<String> expected;
        public final List<String> got;
        /** Rank of the first right document in the top ten; 0 when it is not there. */
        public final int rank;
        public final double confidence;
        public final boolean rejected;

        Miss(RetrievalEval.Outcome o, RejectionRule rule) {
            q = o.question.question;
            expected = new ArrayList<>(o.question.expected);
            got = o.ranked.subList(0, Math.min(3, o.ranked.size()));
            rank = o.rank();
            confidence = round(o.confidence());
            rejected = o.answeredWith(rule).isEmpty();
        }
    }

    /** The human-readable form the command prints. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%d in-scope and %d out-of-scope questions; rule: cosine >= %.2f, confidence >= %.3f, top %d%n%n",
                inScope, outOfScope, rule.cosineFloor, rule.minConfidence, rule.topK));
        line(b, "hit@1", hit1);
        line(b, "hit@3", hit3);
        line(b, "MRR@10", mrr10);
        line(b, "answered at default", answeredAtDefault);
        line(b, "out-of-scope rejected", outOfScopeRejected);
        line(b, "  near-domain rejected", nearRejected);
        line(b, "  far off-topic rejected", farRejected);
        if (byKind != null) {
            b.append(String.format(Locale.ROOT, "%nkind             | lines | hit@1 | hit@3 | answered%n"));
            byKind.forEach((kind, k) -> b.append(String.format(Locale.ROOT, "%-16s | %5d | %.3f | %.3f | %.3f%n", kind, k.lines, k.hit1, k.hit3, k.answered)));
        }
        b.append(String.format(Locale.ROOT, "%nconfidence bar | answered | in-scope rejected | out-of-scope rejected | near | far%n"));
        for (Sweep s : sweep) {
            b.append(String.format(Locale.ROOT, "%14s | %8s | %17s | %21s | %5s | %5s%n", s.minConfidence == 0 ? "off" : String.format(Locale.ROOT, "%.3f", s.minConfidence),
                    pct(s.answered), pct(s.inScopeRejected), pct(s.outOfScopeRejected), pct(s.nearRejected), pct(s.farRejected)));
        }
        if (!worstMisses.isEmpty()) {
            b.append(String.format(Locale.ROOT, "%nworst misses (rank of the right document in the top 10, 0: absent)%n"));
            for (Miss m : worstMisses) {
                b.append(String.format(Locale.ROOT, "  rank %d, confidence %.3f%s: %s%n    expected %s, got %s%n", m.rank, m.confidence,
                        m.rejected ? ", rejected" : "", m.q, m.expected, m.got));
            }
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String name, Double value) {
        if (value != null) {
            b.append(String.format(Locale.ROOT, "%-24s %.3f%n", name, value));
        }
    }

    private static String pct(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.1f%%", value * 100);
    }
}
