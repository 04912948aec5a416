package io.jingnei.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.cache.AnswerCache;
import io.jingnei.core.cache.CacheSettings;
import io.jingnei.core.config.Env;
import io.jingnei.core.embed.OnnxEmbedder;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.pii.PiiPolicy;
import io.jingnei.core.text.QuestionNormaliser;
import io.jingnei.core.util.TimeSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * How often the answer cache answers, and how often wrongly, on real customer-service questions:
 * the LCQMC test and AFQMC dev pairs (labelled "same meaning" or "different"), embedded by the
 * shipped model. First the pairs alone (the share of each label whose cosine reaches a threshold),
 * then a replay: every question of every pair asked once, in a shuffled order, through the real
 * {@link AnswerCache} (per-instance store at its default size), counting LLM calls saved and what
 * each hit served.
 */
final class AnswerCacheBench {
    private static final double[] THRESHOLDS = {0.85, 0.90, 0.93, 0.95, 0.97};
    private static final String SCOPE = "rag-query\ndeepseek-v3.2\nprompt\nindex";
    /** Every question from one tenant: the most any tenant could save. */
    private static final Caller ASKER = Caller.user(Caller.Via.CLIENT_KEY, "shop");
    private final Path data;
    private final int limit;

    AnswerCacheBench(Path data, int limit) {
        this.data = data;
        this.limit = limit;
    }

    private static final class Pair {
        final String first;
        final String second;
        final boolean same;

        Pair(String first, String second, boolean same) {
            this.first = first;
            this.second = second;
            this.same = same;
        }
    }

    void run(Report report) throws Exception {
        if (!Files.isDirectory(data)) {
            report.heading("Answer cache on paraphrases", "Skipped: the research data (" + data + ") is not beside this checkout.");
            return;
        }
        Map<String, List<Pair>> sets = new LinkedHashMap<>();
        sets.put("LCQMC test", pairs(data.resolve("lcqmc-test.tsv")));
        sets.put("AFQMC dev", pairs(data.resolve("afqmc-dev.tsv")));
        Map<String, float[]> vectors = new HashMap<>();
        try (OnnxEmbedder embedder = OnnxEmbedder.load(Runtime.getRuntime().availableProcessors())) {
            List<String> sentences = new ArrayList<>();
            sets.values().forEach(ps -> ps.forEach(p -> {
                sentences.add(p.first);
                sentences.add(p.second);
            }));
            List<String> distinct = new ArrayList<>(new LinkedHashSet<>(sentences));
            for (int from = 0; from < distinct.size(); from += 256) {
                List<String> batch = distinct.subList(from, Math.min(distinct.size(), from + 256));
                List<float[]> embedded = embedder.embed(batch);
                for (int i = 0; i < batch.size(); i++) {
                    vectors.put(batch.get(i), embedded.get(i));
                }
            }
        }
        report.heading("Answer cache on paraphrases", "Question pairs from " + (limit == Integer.MAX_VALUE ? "all of " : "the first "
                + limit + " lines of ") + "LCQMC test and AFQMC dev (research data, not shipped), embedded by the shipped bge-small-zh "
                + "(int8). Would hit = share of pairs whose cosine reaches the threshold: for pairs labelled \"same meaning\" that is "
                + "an LLM call saved, for pairs labelled \"different\" it is a false hit (a customer served another question's answer). "
                + "JINGNEI_CACHE_SIMILARITY defaults to 0.95 from this table.");
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, List<Pair>> set : sets.entrySet()) {
            long same = set.getValue().stream().filter(p -> p.same).count();
            long different = set.getValue().size() - same;
            for (double t : THRESHOLDS) {
                long sameHits = set.getValue().stream().filter(p -> p.same && cos(vectors, p) >= t).count();
                long falseHits = set.getValue().stream().filter(p -> !p.same && cos(vectors, p) >= t).count();
                rows.add(List.of(set.getKey(), String.format("%.2f", t), String.valueOf(same), pct(sameHits, same),
                        String.valueOf(different), pct(falseHits, different)));
            }
        }
        report.table(List.of("set", "similarity", "same-meaning pairs", "would hit", "different pairs", "false hits"), rows);

        report.paragraph("Replay: each question of each pair asked once, shuffled (seed 11), through `AnswerCache` as the functions use it "
                + "(per-instance store, " + CacheSettings.from(Env.of(Map.of())).maxLocalEntries + " entries). A miss is an LLM call whose answer is "
                + "then stored. Paraphrase hits = the second question of a same-meaning pair answered with the first's answer; false hits = "
                + "the same for a pair labelled different; unlabelled hits = served from a question the data set does not pair it with "
                + "(unknown whether right). All questions are asked in one tenant (the most a tenant can save); a semantic hit also "
                + "needs the same identifiers and like wording (`QuestionShape`).");
        List<List<String>> replay = new ArrayList<>();
        for (Map.Entry<String, List<Pair>> set : sets.entrySet()) {
            for (String mode : List.of("exact", "semantic")) {
                replay.add(replay(set.getKey(), set.getValue(), vectors, mode));
            }
        }
        report.table(List.of("set", "JINGNEI_CACHE", "questions", "LLM calls", "saved", "paraphrase hits", "false hits",
                "unlabelled hits", "lookup+store ms/question"), replay);
    }

    private List<String> replay(String name, List<Pair> pairs, Map<String, float[]> vectors, String mode) {
        AnswerCache cache = AnswerCache.from(CacheSettings.from(Env.of(Map.of("JINGNEI_CACHE", mode))), Optional.empty(),
                PiiPolicy.from(Env.of(Map.of())), TimeSource.system(), new CallLog(line -> { }));
        List<int[]> asks = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            asks.add(new int[] {i, 0});
            asks.add(new int[] {i, 1});
        }
        Collections.shuffle(asks, new Random(11));
        long calls = 0;
        long paraphrase = 0;
        long wrong = 0;
        long unlabelled = 0;
        long start = System.nanoTime();
        for (int[] ask : asks) {
            Pair pair = pairs.get(ask[0]);
            String question = ask[1] == 0 ? pair.first : pair.second;
            float[] vector = vectors.get(question);
            Optional<AnswerCache.Key> key = cache.key(question, SCOPE, ASKER);
            Optional<AnswerCache.Hit> hit = key.isEmpty() ? Optional.empty() : cache.exact(key.get()).join();
            if (hit.isEmpty() && key.isPresent()) {
                hit = cache.similar(key.get(), vector).join();
            }
            if (hit.isEmpty()) {
                calls++;
                ObjectNode answer = JsonNodeFactory.instance.objectNode().put("answer", "答：" + ask[0]).put("pair", ask[0])
                        .put("side", ask[1]);
                key.ifPresent(k -> cache.store(k, answer, vector, "answer"));
                continue;
            }
            int servedPair = hit.get().answer().path("pair").asInt();
            String served = hit.get().answer().path("side").asInt() == 0 ? pairs.get(servedPair).first : pairs.get(servedPair).second;
            if (QuestionNormaliser.normalise(served).equals(QuestionNormaliser.normalise(question))) {
                continue; // the same question asked again: always right
            }
            if (servedPair == ask[0]) {
                if (pair.same) {
                    paraphrase++;
                } else {
                    wrong++;
                }
            } else {
                unlabelled++;
            }
        }
        double perQuestion = (System.nanoTime() - start) / 1e6 / asks.size();
        long different = pairs.stream().filter(p -> !p.same).count();
        return List.of(name, mode, String.valueOf(asks.size()), String.valueOf(calls), pct(asks.size() - calls, asks.size()),
                String.valueOf(paraphrase), wrong + " (" + pct(wrong, different) + " of different pairs)", String.valueOf(unlabelled),
                String.format("%.2f", perQuestion));
    }

    private List<Pair> pairs(Path file) throws Exception {
        List<Pair> pairs = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] cells = line.split("\t");
            if (cells.length == 3 && pairs.size() < limit) {
                pairs.add(new Pair(cells[0].trim(), cells[1].trim(), cells[2].trim().equals("1")));
            }
        }
        return pairs;
    }

    private static double cos(Map<String, float[]> vectors, Pair pair) {
        float[] a = vectors.get(pair.first);
        float[] b = vectors.get(pair.second);
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static String pct(long part, long whole) {
        return whole == 0 ? "-" : String.format("%.1f%%", 100.0 * part / whole);
    }
}
