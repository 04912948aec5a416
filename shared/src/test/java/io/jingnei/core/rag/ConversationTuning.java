package io.jingnei.core.rag;

import io.jingnei.core.index.Ranking;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sweeps FollowUpSearch settings on the conversation dev set and chooses the follow-up rule (a tool,
 * not a test): java -cp ... ConversationTuning [one|switch]. Flags: -Dset=dir (another set),
 * -Dalso=blind-1,dir (sets pooled for the rule; blind-1 by default), -Dtarget=0.82 (answered right the
 * rule keeps), -Dgriddump=file (per setting and domain, for leave-one-domain-out over several sets),
 * -Dgridunsure=true (the unsure share in the grid too), -Dturns, -DunsureBelow, -DunsureShare, -Dfrom.
 */
public final class ConversationTuning {
    public static void main(String[] args) throws Exception {
        // -Dset=<dir>: tune on another set (articles.jsonl, conversations.jsonl) instead of the dev set
        String set = System.getProperty("set");
        try (ConversationDevSet dev = set == null ? new ConversationDevSet() : ConversationDevSet.of(Paths.get(set))) {
            boolean one = args.length > 0 && args[0].equals("one");
            FollowUpSearch.Settings d = FollowUpSearch.Settings.DEFAULT;
            List<FollowUpSearch.Settings> grid = new ArrayList<>();
            if (args.length > 1) {
                d = new FollowUpSearch.Settings(1, 0.5, 1.5, 0.5, Double.parseDouble(args[1]), d.unsureBelow, d.unsureShare);
            }
            int turns = Integer.getInteger("turns", d.userTurns);
            d = new FollowUpSearch.Settings(turns, d.earlierWords, d.earlierMeaning, d.standaloneShare, d.switchPenalty,
                    Double.parseDouble(System.getProperty("unsureBelow", String.valueOf(d.unsureBelow))),
                    Double.parseDouble(System.getProperty("unsureShare", String.valueOf(d.unsureShare))));
            for (double e : new double[]{0.3, 0.5, 1.0}) {
                for (double m : new double[]{0.7, 1.0, 1.5, 2.0}) {
                    for (double s : new double[]{0.3, 0.4, 0.5, 0.6}) {
                        for (double p : new double[]{0, 0.5, 1, 2, 4}) {
                            grid.add(new FollowUpSearch.Settings(turns, e, m, s, p, d.unsureBelow, d.unsureShare));
                            if (Boolean.getBoolean("gridunsure")) {
                                for (double below : new double[]{0, 0.65, 0.7}) {
                                    for (double unsure : new double[]{0.1, 0.3}) {
                                        grid.add(new FollowUpSearch.Settings(turns, e, m, s, p, below, unsure));
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if (one) {
                grid = List.of(d);
            }
            if (args.length > 0 && args[0].equals("switch")) {
                // the condition-switch penalty alone, the other settings as shipped
                grid.clear();
                for (double p : new double[]{0, 0.5, 1, 2, 4}) {
                    grid.add(new FollowUpSearch.Settings(d.userTurns, d.earlierWords, d.earlierMeaning, d.standaloneShare, p, d.unsureBelow, d.unsureShare));
                }
            }
            List<List<RetrievalEval.Outcome>> results = new ArrayList<>();
            for (FollowUpSearch.Settings g : grid) {
                List<RetrievalEval.Outcome> outcomes = dev.eval(dev.conversations, new FollowUpSearch(g)).run(ConversationDevSet.CONFIG.fusion(), 3);
                results.add(outcomes);
                System.out.println(String.format(Locale.ROOT, "earlier %.1f meaning %.1f share %.1f switch %.1f  %s", g.earlierWords, g.earlierMeaning,
                        g.standaloneShare, g.switchPenalty, figures(outcomes)));
                if (one) {
                    dump(dev, outcomes);
                    List<RetrievalEval.Outcome> longer = new ArrayList<>();
                    outcomes.stream().filter(o -> o.question.history.stream().filter(t -> "user".equals(t.role)).count() > 1).forEach(longer::add);
                    int from = Integer.getInteger("from", -1);
                    if (from >= 0 && outcomes.size() > from) {
                        List<RetrievalEval.Outcome> tail = outcomes.subList(from, outcomes.size());
                        System.out.println("  lines from " + (from + 1) + " (" + tail.size() + "): " + figures(tail) + " | "
                                + answered(tail, ConversationDevSet.CONFIG.rejection(), null, false));
                    }
                    if (!longer.isEmpty()) {
                        System.out.println("  conversations with 3+ user turns (" + longer.size() + "): " + figures(longer) + " | "
                                + answered(longer, ConversationDevSet.CONFIG.rejection(), null, false));
                    }
                }
            }
            leaveOneDomainOut(dev, grid, results);
            String gridDump = System.getProperty("griddump");
            if (gridDump != null) {
                // per setting and domain: follow-ups found first, in the top three, and their number (pooled across sets outside Java)
                try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Paths.get(gridDump)))) {
                    for (int g = 0; g < grid.size(); g++) {
                        FollowUpSearch.Settings x = grid.get(g);
                        Map<String, int[]> byDomain = new TreeMap<>();
                        for (int i = 0; i < results.get(g).size(); i++) {
                            RetrievalEval.Outcome o = results.get(g).get(i);
                            if (o.question.inScope()) {
                                int[] c = byDomain.computeIfAbsent(dev.conversationDomains.get(i), k -> new int[3]);
                                c[0] += o.rank() == 1 ? 1 : 0;
                                c[1] += o.rank() >= 1 && o.rank() <= 3 ? 1 : 0;
                                c[2]++;
                            }
                        }
                        String key = String.format(Locale.ROOT, "%.1f/%.1f/%.1f/%.1f/%.2f/%.2f", x.earlierWords, x.earlierMeaning, x.standaloneShare,
                                x.switchPenalty, x.unsureBelow, x.unsureShare);
                        byDomain.forEach((domain, c) -> out.println(key + "\t" + domain + "\t" + c[0] + "\t" + c[1] + "\t" + c[2]));
                    }
                }
            }
            List<RetrievalEval.Outcome> forRule = new ArrayList<>(one ? results.get(0) : dev.eval(dev.conversations, new FollowUpSearch(d)).run(ConversationDevSet.CONFIG.fusion(), 3));
            List<String> ruleDomains = new ArrayList<>(dev.conversationDomains);
            // The follow-up rule is chosen on the dev set and blind-1 pooled (nine domains); -Dalso=<dirs, comma-separated> instead
            List<ConversationDevSet> pooled = new ArrayList<>();
            try {
                String also = System.getProperty("also", set == null ? "blind-1" : "");
                for (String other : also.split(",")) {
                    if (!other.isBlank()) {
                        pooled.add(other.startsWith("blind-") ? ConversationDevSet.blind(Integer.parseInt(other.substring(6)))
                                : ConversationDevSet.of(Paths.get(other)));
                    }
                }
                for (ConversationDevSet other : pooled) {
                    forRule.addAll(other.eval(other.conversations, new FollowUpSearch(d)).run(ConversationDevSet.CONFIG.fusion(), 3));
                    ruleDomains.addAll(other.conversationDomains);
                }
            } finally {
                pooled.forEach(ConversationDevSet::close);
            }
            rejection(ruleDomains, forRule);
        }
    }

    /**
     * The follow-up rule ({@link FollowUpRule}), then leave-one-domain-out: for each domain, on the
     * other domains, every slope with the bar that rejects most while keeping 82 % of their follow-ups
     * answered right (-Dtarget=0.88 for the first rounds' procedure); the slope rejecting most there (then answering most) is measured on the domain.
     */
    private static void rejection(List<String> conversationDomains, List<RetrievalEval.Outcome> outcomes) {
        RejectionRule shipped = ConversationDevSet.CONFIG.rejection();
        double answered = 0, rejected = 0;
        java.util.Set<String> domains = new java.util.TreeSet<>(conversationDomains);
        for (String domain : domains) {
            List<RetrievalEval.Outcome> train = new ArrayList<>(), held = new ArrayList<>();
            for (int i = 0; i < outcomes.size(); i++) {
                (conversationDomains.get(i).equals(domain) ? held : train).add(outcomes.get(i));
            }
            RejectionRule chosen = choose(train, shipped);
            answered += rate(held, chosen, true) / domains.size();
            rejected += rate(held, chosen, false) / domains.size();
            System.out.println(String.format(Locale.ROOT, "held out %s: slope %.2f bar %.3f -> %s", domain, chosen.followUps.slope,
                    chosen.followUps.bar, answered(held, chosen, null, true)));
        }
        RejectionRule onAll = choose(outcomes, shipped);
        System.out.println(String.format(Locale.ROOT, "chosen on all lines: slope %.2f bar %.5f -> %s", onAll.followUps.slope, onAll.followUps.bar,
                answered(outcomes, onAll, null, true)));
        System.out.println(String.format(Locale.ROOT, "rejection leave-one-domain-out, pooled: answered right %.3f, unanswerable rejected %.3f", answered, rejected));
        System.out.println("shipped rule: " + answered(outcomes, shipped, null, true));
        for (String rule : System.getProperty("rules", "").split(";")) {
            if (!rule.isBlank()) {
                String[] sb = rule.split(",");
                RejectionRule r = withFollowUps(shipped, new FollowUpRule(Double.parseDouble(sb[0]), Double.parseDouble(sb[1])));
                System.out.println("rule " + rule + ": " + answered(outcomes, r, null, true));
            }
        }
        System.out.println("no follow-up rule: " + answered(outcomes, withFollowUps(shipped, new FollowUpRule(0, 9)), null, true));
    }

    /**
     * For each slope, the lowest bar keeping the target share of follow-ups answered right; the slope
     * then rejecting most (then answering most). The follow-up rule off when no bar keeps the target.
     */
    private static RejectionRule choose(List<RetrievalEval.Outcome> train, RejectionRule shipped) {
        RejectionRule chosen = withFollowUps(shipped, new FollowUpRule(0, 9));
        double chosenRejected = -1, chosenAnswered = -1;
        double target = Double.parseDouble(System.getProperty("target", "0.82"));
        for (int step = 0; step <= 12; step++) {
            double slope = 0.25 * step;
            List<Double> bars = new ArrayList<>();
            train.stream().filter(o -> o.search.followUp()).forEach(o -> bars.add(new FollowUpRule(slope, 0).signal(o.search)));
            bars.add(9.0);
            bars.sort(null);
            for (double bar : bars) {
                RejectionRule rule = withFollowUps(shipped, new FollowUpRule(slope, bar));
                double a = rate(train, rule, true), r = rate(train, rule, false);
                if (a >= target) {
                    if (r > chosenRejected || (r == chosenRejected && a > chosenAnswered)) {
                        chosen = rule;
                        chosenRejected = r;
                        chosenAnswered = a;
                    }
                    break;
                }
            }
        }
        return chosen;
    }

    private static RejectionRule withFollowUps(RejectionRule rule, FollowUpRule followUps) {
        return new RejectionRule(rule.cosineFloor, rule.minConfidence, followUps);
    }

    /** Answerable: the share answered with a right article; unanswerable: the share rejected. */
    private static double rate(List<RetrievalEval.Outcome> outcomes, RejectionRule rule, boolean answerable) {
        int n = 0, good = 0;
        for (RetrievalEval.Outcome o : outcomes) {
            if (o.question.inScope() == answerable) {
                n++;
                good += answerable ? (o.answeredRight(rule) ? 1 : 0) : (o.answeredWith(rule).isEmpty() ? 1 : 0);
            }
        }
        return n == 0 ? 0 : good / (double) n;
    }

    private static String answered(List<RetrievalEval.Outcome> outcomes, RejectionRule rule, String unused, boolean byKind) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "answered right %.3f, unanswerable rejected %.3f |",
                rate(outcomes, rule, true), rate(outcomes, rule, false)));
        Map<String, List<RetrievalEval.Outcome>> kinds = new TreeMap<>();
        outcomes.stream().filter(o -> o.question.inScope()).forEach(o -> kinds.computeIfAbsent(o.question.kind, k -> new ArrayList<>()).add(o));
        kinds.forEach((kind, list) -> b.append(String.format(Locale.ROOT, " %s %.2f", kind.substring(0, 4), rate(list, rule, true))));
        return b.toString();
    }

    /** For each domain: the settings best on the other four (hit@1, then hit@3), measured on it; pooled. */
    private static void leaveOneDomainOut(ConversationDevSet dev, List<FollowUpSearch.Settings> grid, List<List<RetrievalEval.Outcome>> results) {
        List<RetrievalEval.Outcome> pooled = new ArrayList<>();
        for (String domain : new java.util.TreeSet<>(dev.conversationDomains)) {
            int best = 0;
            double bestScore = -1;
            for (int g = 0; g < grid.size(); g++) {
                double score = 0;
                List<RetrievalEval.Outcome> o = results.get(g);
                for (int i = 0; i < o.size(); i++) {
                    if (!dev.conversationDomains.get(i).equals(domain) && o.get(i).question.inScope()) {
                        score += (o.get(i).rank() == 1 ? 1 : 0) + (o.get(i).rank() >= 1 && o.get(i).rank() <= 3 ? 0.01 : 0);
                    }
                }
                if (score > bestScore) {
                    bestScore = score;
                    best = g;
                }
            }
            FollowUpSearch.Settings s = grid.get(best);
            List<RetrievalEval.Outcome> o = results.get(best);
            List<RetrievalEval.Outcome> held = new ArrayList<>();
            for (int i = 0; i < o.size(); i++) {
                if (dev.conversationDomains.get(i).equals(domain)) {
                    held.add(o.get(i));
                }
            }
            pooled.addAll(held);
            System.out.println(String.format(Locale.ROOT, "held out %s: chose earlier %.1f meaning %.1f share %.1f switch %.1f -> %s", domain,
                    s.earlierWords, s.earlierMeaning, s.standaloneShare, s.switchPenalty, figures(held)));
        }
        System.out.println("leave-one-domain-out, pooled: " + figures(pooled));
    }

    static String figures(List<RetrievalEval.Outcome> outcomes) {
        Map<String, int[]> byKind = new TreeMap<>();
        int n = 0, h1 = 0, h3 = 0;
        for (RetrievalEval.Outcome o : outcomes) {
            if (!o.question.inScope()) {
                continue;
            }
            int[] k = byKind.computeIfAbsent(o.question.kind, x -> new int[3]);
            k[0]++;
            n++;
            if (o.rank() == 1) {
                k[1]++;
                h1++;
            }
            if (o.rank() >= 1 && o.rank() <= 3) {
                k[2]++;
                h3++;
            }
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "hit@1 %.3f hit@3 %.3f |", h1 / (double) n, h3 / (double) n));
        byKind.forEach((kind, k) -> b.append(String.format(Locale.ROOT, " %s %.2f/%.2f", kind.substring(0, 4), k[1] / (double) k[0], k[2] / (double) k[0])));
        return b.toString();
    }

    private static void dump(ConversationDevSet dev, List<RetrievalEval.Outcome> outcomes) throws Exception {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Paths.get("target/conversation-dev/features.tsv")))) {
            out.println("i\tkind\tdomain\tin\trank\tfollow\tconf_s\tconf_c\tcos_s_best\tcos_c_best\tlex_s_best\tlex_s_max\tstand_rank_of_best\tq\tgot\town_best_cos\tagree\tearlier_cos\tconf_fused\tearlier\tassistant\tpassage\town_doc\tcontext_confidence\tnew_cov\tctx_doc\texpected\tstand_cov");
            for (int i = 0; i < outcomes.size(); i++) {
                RetrievalEval.Outcome o = outcomes.get(i);
                FollowUpSearch.Result r = o.search;
                Ranking.Candidate best = o.shown.best();
                float cosS = cos(dev, o.question.question, best.position);
                double lexBest = 0, lexMax = 0;
                int standRank = 0;
                for (int j = 0; j < r.standalone.candidates.size(); j++) {
                    Ranking.Candidate c = r.standalone.candidates.get(j);
                    lexMax = Math.max(lexMax, c.lexical);
                    if (c.position == best.position) {
                        lexBest = c.lexical;
                        standRank = j + 1;
                    }
                }
                out.println(String.join("\t", String.valueOf(i), String.valueOf(o.question.kind), dev.conversationDomains.get(i),
                        String.valueOf(o.question.inScope()), String.valueOf(o.rank()), String.valueOf(r.followUp()),
                        f(RejectionRule.confidence(r.standalone)), r.context == null ? "" : f(RejectionRule.confidence(r.context)),
                        f(cosS), f(best.cosine), f(lexBest), f(lexMax), String.valueOf(standRank), o.question.question, o.ranked.get(0),
                        f(r.standalone.best().cosine), String.valueOf(dev.index.chunk(r.standalone.best().position).docId.equals(o.ranked.get(0))),
                        o.question.history.size() < 2 ? "" : f(cos(dev, o.question.history.get(o.question.history.size() - 2).content, best.position)),
                        f(RejectionRule.confidence(r.ranking)),
                        o.question.history.size() < 2 ? "" : o.question.history.get(o.question.history.size() - 2).content.replace('\t', ' '),
                        o.question.history.isEmpty() ? "" : o.question.history.get(o.question.history.size() - 1).content.replace('\t', ' '),
                        dev.index.chunk(best.position).text.replace('\t', ' ').replace('\n', ' '),
                        dev.index.chunk(r.standalone.best().position).docId, f(r.context == null ? 0 : RejectionRule.confidence(r.context)), f(r.newWordCoverage),
                        r.context == null ? "" : dev.index.chunk(r.context.best().position).docId, String.join(",", o.question.expected), f(r.standaloneCoverage)));
            }
        }
    }

    private static float cos(ConversationDevSet dev, String text, int position) throws Exception {
        return dev.index.vectors().similarity(dev.embed(List.of(text)).get(0), position);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
