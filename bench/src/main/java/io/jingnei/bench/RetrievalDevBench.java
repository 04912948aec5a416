package io.jingnei.bench;

import io.jingnei.core.embed.OnnxEmbedder;
import io.jingnei.core.index.Fusion;
import io.jingnei.core.index.HybridIndex;
import io.jingnei.core.index.LexicalIndex;
import io.jingnei.core.rag.RagConfig;
import io.jingnei.core.rag.RejectionRule;
import io.jingnei.core.rag.RetrievalEval;
import io.jingnei.core.text.BigramSplitter;
import io.jingnei.core.text.TermSplitter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The retrieval dev set: the first round against hybrid search and the calibrated rejection rule,
 * bigrams against HanLP, and the leave-one-domain-out cross-validation the shipped settings came
 * from (tuned on five domains, measured on the sixth, six times).
 */
final class RetrievalDevBench {
    static final double[] LEXICAL_WEIGHTS = {0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0};
    static final double[] TITLE_WEIGHTS = {1, 3};
    /** The rejection rule is chosen to answer at least this share of the tuning folds' questions right. */
    static final double ANSWERED_FLOOR = 0.97;

    private final Path root;

    RetrievalDevBench(Path root) {
        this.root = root;
    }

    void run(Report report) throws Exception {
        DevSet dev;
        try (OnnxEmbedder embedder = OnnxEmbedder.load(Runtime.getRuntime().availableProcessors())) {
            dev = new DevSet(root.resolve("shared/src/test/resources/retrieval-dev"), embedder);
        }
        RejectionRule shipped = new RejectionRule(RagConfig.DEFAULT_THRESHOLD, RejectionRule.DEFAULT_MIN_CONFIDENCE);
        RejectionRule plain = RejectionRule.plainThreshold(RagConfig.DEFAULT_THRESHOLD);
        List<String> folds = DevSet.folds(dev.questions);
        report.heading("Retrieval dev set", "shared/src/test/resources/retrieval-dev: 113 articles in six domains, 170 in-scope questions, "
                + "51 out-of-scope (41 near-domain, 10 far). \"answered\": in-scope questions answered with a right article among the top 3 "
                + "sources by the rule in that row; cosine threshold " + RagConfig.DEFAULT_THRESHOLD + ", confidence bar "
                + RejectionRule.DEFAULT_MIN_CONFIDENCE + ".");
        List<List<String>> rows = new ArrayList<>();
        rows.add(row("dense only, text embedded (first round)", eval(dev, dev.index(false, null), Fusion.DENSE_ONLY), plain, all()));
        rows.add(row("dense only, title + text embedded", eval(dev, dev.index(true, null), Fusion.DENSE_ONLY), plain, all()));
        rows.add(row("hybrid (bigram BM25F, z-score fusion)", eval(dev, dev.index(true, BigramSplitter.INSTANCE), Fusion.DEFAULT), plain, all()));
        rows.add(row("hybrid + calibrated rejection (shipped)", eval(dev, dev.index(true, BigramSplitter.INSTANCE), Fusion.DEFAULT), shipped, all()));
        report.table(List.of("retrieval", "hit@1", "hit@3", "MRR@10", "answered", "near rejected", "far rejected"), rows);

        segmenters(report, dev);
        crossValidation(report, dev, folds);
    }

    private static List<RetrievalEval.Outcome> eval(DevSet dev, HybridIndex index, Fusion fusion) {
        return new RetrievalEval(index, dev.questions, dev.questionVectors).run(fusion, 3);
    }

    private static Predicate<Integer> all() {
        return i -> true;
    }

    static List<String> row(String name, List<RetrievalEval.Outcome> outcomes, RejectionRule rule, Predicate<Integer> which) {
        Figures f = Figures.of(outcomes, rule, which);
        return List.of(name, f3(f.hit1), f3(f.hit3), f3(f.mrr), f3(f.answered), f3(f.nearRejected), f3(f.farRejected));
    }

    static String f3(double value) {
        return String.format("%.3f", value);
    }

    private void segmenters(Report report, DevSet dev) throws Exception {
        report.paragraph("Segmentation for the lexical index: the dev set's in-scope questions with each segmenter (lexical alone, and fused with "
                + "the title-embedded dense ranking at the shipped weights). Start-up: a fresh JVM (-XX:TieredStopAtLevel=1) from start to its "
                + "first segmented sentence, median of 3.");
        List<List<String>> rows = new ArrayList<>();
        String hanlpJar = List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)).stream()
                .filter(p -> p.contains("hanlp")).findFirst().orElseThrow();
        for (TermSplitter splitter : List.of(BigramSplitter.INSTANCE, new HanlpSplitter())) {
            boolean hanlp = splitter instanceof HanlpSplitter;
            Figures lexical = Figures.of(eval(dev, dev.index(true, splitter), new Fusion(1e6, 20, LexicalIndex.Bm25.DEFAULT)), RejectionRule.plainThreshold(0), all());
            Figures hybrid = Figures.of(eval(dev, dev.index(true, splitter), Fusion.DEFAULT), RejectionRule.plainThreshold(0), all());
            rows.add(List.of(hanlp ? "HanLP portable 1.8.6 words" : "character bigrams + unigrams (shipped)",
                    hanlp ? String.format("%.1f MiB", Files.size(Path.of(hanlpJar)) / 1048576.0) : "0 (in the core)",
                    hanlp ? startMillis(hanlpJar) + " ms" : "< 1 ms",
                    f3(lexical.hit1), f3(lexical.mrr), f3(hybrid.hit1), f3(hybrid.hit3), f3(hybrid.mrr)));
        }
        report.table(List.of("segmenter", "jar", "start-up", "lexical hit@1", "lexical MRR@10", "hybrid hit@1", "hybrid hit@3", "hybrid MRR@10"), rows);
    }

    private static long startMillis(String hanlpJar) throws Exception {
        List<Long> runs = new ArrayList<>();
        String cp = hanlpJar + java.io.File.pathSeparator + Path.of(RetrievalDevBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                    "-cp", cp, HanlpSplitter.class.getName()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor();
            runs.add((System.nanoTime() - start) / 1_000_000);
        }
        runs.sort(null);
        return runs.get(1);
    }

    private static String bar(RejectionRule rule) {
        return String.format(java.util.Locale.ROOT, "%.3f", rule.minConfidence);
    }

    /**
     * Leave one domain out: on five domains, choose the lexical weight and title weight (by MRR@10,
     * then hit@1) and the confidence bar (most near-domain rejections with at least 97.5% answered
     * and every far question rejected); measure them on the sixth.
     */
    private void crossValidation(Report report, DevSet dev, List<String> folds) throws java.io.IOException {
        List<List<RetrievalEval.Outcome>> configs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (double tw : TITLE_WEIGHTS) {
            HybridIndex index = dev.index(true, BigramSplitter.INSTANCE);
            for (double w : LEXICAL_WEIGHTS) {
                configs.add(eval(dev, index, new Fusion(w, 20, new LexicalIndex.Bm25(1.2, 0.75, tw))));
                names.add("w=" + w + " title=" + tw);
            }
        }
        List<List<String>> rows = new ArrayList<>();
        double[] tuning = new double[6];
        List<String> domains = List.of("ec", "tel", "bank", "ins", "log", "saas");
        List<RetrievalEval.Outcome> heldOut = new ArrayList<>();
        List<String> shippedRow = null;
        List<RejectionRule> heldOutRules = new ArrayList<>();
        List<String> foldsAndAll = new ArrayList<>(domains);
        foldsAndAll.add("none");
        for (String domain : foldsAndAll) {
            Predicate<Integer> train = i -> !folds.get(i).equals(domain);
            int best = 0;
            for (int c = 1; c < configs.size(); c++) {
                Figures a = Figures.of(configs.get(c), RejectionRule.plainThreshold(0), train);
                Figures b = Figures.of(configs.get(best), RejectionRule.plainThreshold(0), train);
                if (a.mrr > b.mrr + 1e-9 || (Math.abs(a.mrr - b.mrr) < 1e-9 && a.hit1 > b.hit1)) {
                    best = c;
                }
            }
            List<RetrievalEval.Outcome> chosen = configs.get(best);
            RejectionRule rule = chooseRule(chosen, train);
            Figures t = Figures.of(chosen, rule, train);
            if (domain.equals("none")) {
                shippedRow = List.of("none: chosen on all six by this procedure (the shipped bar, 0.655, is chosen on both dev sets: docs/rag.md)",
                        names.get(best) + ", bar " + bar(rule),
                        f3(t.hit1), f3(t.hit3), f3(t.answered), f3(t.nearRejected), "", "", "", "", "");
                continue;
            }
            Figures h = Figures.of(chosen, rule, i -> folds.get(i).equals(domain));
            rows.add(List.of(domain, names.get(best) + ", bar " + bar(rule), f3(t.hit1), f3(t.hit3), f3(t.answered), f3(t.nearRejected),
                    f3(h.hit1), f3(h.hit3), f3(h.answered), f3(h.nearRejected), f3(h.farRejected)));
            for (int i = 0; i < folds.size(); i++) {
                if (folds.get(i).equals(domain)) {
                    heldOut.add(chosen.get(i));
                    heldOutRules.add(rule);
                }
            }
            tuning[0] += t.hit1 / 6;
            tuning[1] += t.hit3 / 6;
            tuning[2] += t.answered / 6;
            tuning[3] += t.nearRejected / 6;
        }
        Figures pooled = Figures.pooled(heldOut, heldOutRules);
        rows.add(List.of("all (held-out pooled)", "", f3(tuning[0]), f3(tuning[1]), f3(tuning[2]), f3(tuning[3]),
                f3(pooled.hit1), f3(pooled.hit3), f3(pooled.answered), f3(pooled.nearRejected), f3(pooled.farRejected)));
        rows.add(shippedRow);
        report.paragraph("Leave-one-domain-out cross-validation of the fusion weights (lexical weight " + java.util.Arrays.toString(LEXICAL_WEIGHTS)
                + " x title weight " + java.util.Arrays.toString(TITLE_WEIGHTS) + ", chosen by MRR@10) and the confidence bar (0.50-0.80 in steps of "
                + "0.005: most near-domain rejections with answered >= " + ANSWERED_FLOOR + " and all far rejected). Out-of-scope questions are dealt "
                + "round the six folds. Tuning columns: the five domains the settings were chosen on; held-out: the sixth.");
        report.table(List.of("held-out domain", "chosen", "tune hit@1", "tune hit@3", "tune answered", "tune near rej.",
                "held-out hit@1", "held-out hit@3", "held-out answered", "held-out near rej.", "held-out far rej."), rows);
    }

    static RejectionRule chooseRule(List<RetrievalEval.Outcome> outcomes, Predicate<Integer> train) {
        RejectionRule best = null;
        double bestNear = -1;
        for (int step = 0; step <= 60; step++) {
            RejectionRule rule = new RejectionRule(RagConfig.DEFAULT_THRESHOLD, 0.50 + step * 0.005);
            Figures f = Figures.of(outcomes, rule, train);
            if (f.answered >= ANSWERED_FLOOR && f.farRejected >= 1 && f.nearRejected > bestNear) {
                best = rule;
                bestNear = f.nearRejected;
            }
        }
        return best == null ? RejectionRule.plainThreshold(RagConfig.DEFAULT_THRESHOLD) : best;
    }

    /** The dev-set figures of a subset of outcomes under one rule. */
    static final class Figures {
        double hit1, hit3, mrr, answered, nearRejected, farRejected;

        static Figures of(List<RetrievalEval.Outcome> outcomes, RejectionRule rule, Predicate<Integer> which) {
            List<RetrievalEval.Outcome> picked = new ArrayList<>();
            List<RejectionRule> rules = new ArrayList<>();
            for (int i = 0; i < outcomes.size(); i++) {
                if (which.test(i)) {
                    picked.add(outcomes.get(i));
                    rules.add(rule);
                }
            }
            return pooled(picked, rules);
        }

        static Figures pooled(List<RetrievalEval.Outcome> outcomes, List<RejectionRule> rules) {
            Figures f = new Figures();
            int in = 0, near = 0, far = 0;
            for (int i = 0; i < outcomes.size(); i++) {
                RetrievalEval.Outcome o = outcomes.get(i);
                boolean rejected = o.answeredWith(rules.get(i)).isEmpty();
                if (o.question.inScope()) {
                    in++;
                    int rank = o.rank();
                    f.hit1 += rank == 1 ? 1 : 0;
                    f.hit3 += rank >= 1 && rank <= 3 ? 1 : 0;
                    f.mrr += rank == 0 ? 0 : 1.0 / rank;
                    f.answered += o.answeredRight(rules.get(i)) ? 1 : 0;
                } else if (Boolean.TRUE.equals(o.question.near)) {
                    near++;
                    f.nearRejected += rejected ? 1 : 0;
                } else {
                    far++;
                    f.farRejected += rejected ? 1 : 0;
                }
            }
            f.hit1 /= Math.max(1, in);
            f.hit3 /= Math.max(1, in);
            f.mrr /= Math.max(1, in);
            f.answered /= Math.max(1, in);
            f.nearRejected /= Math.max(1, near);
            f.farRejected /= Math.max(1, far);
            return f;
        }
    }
}
