package io.jingnei.bench;

import io.jingnei.core.embed.OnnxEmbedder;
import io.jingnei.core.index.Chunk;
import io.jingnei.core.index.Fusion;
import io.jingnei.core.index.HybridIndex;
import io.jingnei.core.index.IndexFormat;
import io.jingnei.core.index.LexicalIndex;
import io.jingnei.core.index.Ranking;
import io.jingnei.core.rag.FollowUpSearch;
import io.jingnei.core.text.BigramSplitter;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Hybrid search against dense-only: recall on LCQMC/AFQMC (the protocol of
 * {@link RetrievalQualityBench}: each positive pair's q1 searched among all distinct q2), and what
 * the lexical part adds to query latency and index size at 100k chunks of synthetic Chinese.
 */
final class HybridRetrievalBench {
    private final Path root;
    private final Path data;
    private final int limit;
    private final int chunks;

    HybridRetrievalBench(Path root, Path data, int limit, int chunks) {
        this.root = root;
        this.data = data;
        this.limit = limit;
        this.chunks = chunks;
    }

    void run(Report report) throws Exception {
        if (Files.isDirectory(data)) {
            report.heading("Hybrid retrieval on question matching", "Same protocol as \"Retrieval quality\" ("
                    + (limit == Integer.MAX_VALUE ? "all positive pairs" : "the first " + limit + " positive pairs")
                    + "); hybrid: the shipped fusion of the dense ranking with character-bigram BM25 over the candidate questions.");
            List<List<String>> rows = new ArrayList<>();
            try (OnnxEmbedder embedder = OnnxEmbedder.load(Runtime.getRuntime().availableProcessors())) {
                for (String[] set : new String[][] {{"LCQMC test", "lcqmc-test.tsv"}, {"AFQMC dev", "afqmc-dev.tsv"}}) {
                    rows.addAll(recall(embedder, set[0], data.resolve(set[1])));
                }
            }
            report.table(List.of("set", "search", "queries", "recall@1", "recall@5"), rows);
        }
        latency(report);
    }

    private List<List<String>> recall(OnnxEmbedder embedder, String name, Path file) throws Exception {
        List<String[]> positives = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] pair = line.split("\t");
            if (pair.length == 3 && pair[2].trim().equals("1") && positives.size() < limit) {
                positives.add(pair);
            }
        }
        Map<String, Integer> candidates = new LinkedHashMap<>();
        positives.forEach(p -> candidates.putIfAbsent(p[1], candidates.size()));
        List<String> texts = new ArrayList<>(candidates.keySet());
        List<float[]> vectors = embedder.embed(texts);
        float[] flat = new float[vectors.size() * 512];
        List<Chunk> chunkList = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
            System.arraycopy(vectors.get(i), 0, flat, i * 512, 512);
            chunkList.add(new Chunk(String.valueOf(i), 0, texts.get(i), "{}"));
        }
        HybridIndex index = new HybridIndex(IndexFormat.inMemory(flat, 512, chunkList, embedder.modelId(), false),
                IndexFormat.lexical(chunkList, BigramSplitter.INSTANCE));
        List<String> questions = new ArrayList<>();
        positives.forEach(p -> questions.add(p[0]));
        List<float[]> queryVectors = new ArrayList<>();
        for (int from = 0; from < questions.size(); from += 64) {
            queryVectors.addAll(embedder.embed(questions.subList(from, Math.min(questions.size(), from + 64))));
        }
        List<List<String>> rows = new ArrayList<>();
        for (Fusion fusion : List.of(Fusion.DENSE_ONLY, Fusion.DEFAULT)) {
            int top1 = 0;
            int top5 = 0;
            for (int q = 0; q < positives.size(); q++) {
                Ranking ranking = index.search(queryVectors.get(q), questions.get(q), 5, fusion);
                int expected = candidates.get(positives.get(q)[1]);
                top1 += ranking.candidates.get(0).position == expected ? 1 : 0;
                top5 += ranking.candidates.stream().anyMatch(c -> c.position == expected) ? 1 : 0;
            }
            rows.add(List.of(name, fusion == Fusion.DENSE_ONLY ? "dense only" : "hybrid", String.valueOf(positives.size()),
                    String.format("%.3f", top1 / (double) positives.size()), String.format("%.3f", top5 / (double) positives.size())));
        }
        return rows;
    }

    private void latency(Report report) throws Exception {
        List<String> questions = new ArrayList<>();
        List<String> articles = new ArrayList<>();
        Path dev = root.resolve("shared/src/test/resources/retrieval-dev");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : Files.readAllLines(dev.resolve("queries.jsonl"))) {
            questions.add(json.readTree(line).get("q").asText());
        }
        for (String line : Files.readAllLines(dev.resolve("articles.jsonl"))) {
            articles.add(json.readTree(line).get("content").asText());
        }
        SyntheticText text = new SyntheticText(articles, new Random(7));
        List<Chunk> synthetic = new ArrayList<>(chunks);
        long textBytes = 0;
        for (int i = 0; i < chunks; i++) {
            String t = text.next(200 + i % 150);
            textBytes += t.getBytes(StandardCharsets.UTF_8).length;
            synthetic.add(new Chunk("doc-" + i, 0, t, "{\"title\":\"" + text.next(8 + i % 8) + "\"}"));
        }
        long start = System.nanoTime();
        LexicalIndex lexical = IndexFormat.lexical(synthetic, BigramSplitter.INSTANCE);
        double buildSeconds = (System.nanoTime() - start) / 1e9;
        float[] vectors = SearchBench.random(chunks, 1);
        float[] queryVectors = SearchBench.random(questions.size(), 2);
        List<List<String>> rows = new ArrayList<>();
        for (boolean int8 : new boolean[] {false, true}) {
            HybridIndex index = new HybridIndex(IndexFormat.inMemory(vectors, 512, synthetic, "synthetic", int8), lexical);
            // Dense and hybrid alternate query by query, so load from other processes falls on both alike.
            List<Double> dense = new ArrayList<>();
            List<Double> hybrid = new ArrayList<>();
            List<Double> added = new ArrayList<>();
            List<Double> followUp = new ArrayList<>();
            List<Double> addedByConversation = new ArrayList<>();
            FollowUpSearch followUps = new FollowUpSearch(FollowUpSearch.Settings.DEFAULT);
            for (int round = 0; round < 3; round++) {
                for (int q = 0; q < questions.size(); q++) {
                    float[] query = java.util.Arrays.copyOfRange(queryVectors, q * 512, (q + 1) * 512);
                    // the follow-up's earlier turns: the next three dev questions joined (FollowUpSearch reads up to three),
                    // with the first one's vector standing for their joined text's
                    int e = (q + 1) % questions.size();
                    String earlierTurns = String.join("\n", questions.get(e), questions.get((q + 2) % questions.size()),
                            questions.get((q + 3) % questions.size()));
                    float[] earlier = java.util.Arrays.copyOfRange(queryVectors, e * 512, (e + 1) * 512);
                    long t0 = System.nanoTime();
                    index.search(query, questions.get(q), 3, Fusion.DENSE_ONLY);
                    long t1 = System.nanoTime();
                    index.search(query, questions.get(q), 3, Fusion.DEFAULT);
                    long t2 = System.nanoTime();
                    followUps.search(index, Fusion.DEFAULT, 3, questions.get(q), query, earlierTurns, earlier);
                    long t3 = System.nanoTime();
                    if (round > 0) {
                        dense.add((t1 - t0) / 1e6);
                        hybrid.add((t2 - t1) / 1e6);
                        added.add((t2 - t1 - (t1 - t0)) / 1e6);
                        followUp.add((t3 - t2) / 1e6);
                        addedByConversation.add((t3 - t2 - (t2 - t1)) / 1e6);
                    }
                }
            }
            for (List<Double> list : List.of(dense, hybrid, added, followUp, addedByConversation)) {
                list.sort(null);
            }
            rows.add(List.of(String.format("%,d", chunks), int8 ? "int8" : "float32", p(dense, 50), p(dense, 99), p(hybrid, 50), p(hybrid, 99),
                    p(added, 50), p(followUp, 50), p(followUp, 99), p(addedByConversation, 50)));
        }
        List<Double> lexicalMs = new ArrayList<>();
        for (String q : questions) {
            long t0 = System.nanoTime();
            lexical.scores(q, LexicalIndex.Bm25.DEFAULT);
            lexicalMs.add((System.nanoTime() - t0) / 1e6);
        }
        lexicalMs.sort(null);
        // A follow-up's context is cut to 150 characters a turn (FollowUpSearch.TURN_CHARS); what an uncut 16,000-character turn would cost.
        String longestContext = String.join("\n", text.next(150), text.next(150), text.next(150));
        String uncutTurn = text.next(16_000);
        double contextMs = medianLexicalMs(lexical, longestContext);
        double uncutMs = medianLexicalMs(lexical, uncutTurn);
        report.heading("Hybrid search latency and lexical index size", String.format("%,d chunks of synthetic Chinese (a character Markov chain "
                + "trained on the dev set's articles, 200-350 characters, an 8-15 character title each), seeded random 512-d vectors; the dev "
                + "set's 170 questions as queries, twice each after a warm-up round, one thread; search only (the question's embedding, "
                + "about 1.4 ms, is not included; a follow-up also embeds its earlier turns, in the same batch). Follow-up: conversation-aware "
                + "search (FollowUpSearch) of each question with the next three dev questions as its earlier turns (the most it reads). Lexical scoring alone: median %.2f ms; of a follow-up's longest context (three earlier turns cut to 150 characters each) %.2f ms, of one uncut 16,000-character turn (what the cut prevents) %.2f ms. Lexical index: %,d terms, %.1f MB "
                + "(chunk texts %.1f MB, int8 vectors %.1f MB, float32 %.1f MB), built in %.1f s.", chunks, lexicalMs.get(lexicalMs.size() / 2), contextMs, uncutMs,
                lexical.terms(), lexical.bytes() / 1e6, textBytes / 1e6, chunks * 516 / 1e6, chunks * 2048 / 1e6, buildSeconds));
        report.table(List.of("chunks", "vectors", "dense p50 ms", "dense p99 ms", "hybrid p50 ms", "hybrid p99 ms", "added by lexical, p50 ms",
                "follow-up p50 ms", "follow-up p99 ms", "added by the conversation, p50 ms"), rows);
        followUpEmbedding(report, questions);
    }

    /** Only the latency table, for a run of its own: {@code java ... HybridRetrievalBench <root> <out.md> [chunks]}. */
    public static void main(String[] args) throws Exception {
        new HybridRetrievalBench(Path.of(args[0]), Path.of(args[0], "no-question-matching-data"), 0,
                args.length > 2 ? Integer.parseInt(args[2]) : 100_000).run(new Report(Path.of(args[1])));
    }

    private static String p(List<Double> sorted, int percentile) {
        return String.format("%.2f", sorted.get(Math.min(sorted.size() - 1, sorted.size() * percentile / 100)));
    }

    /** Text with the character statistics of the dev set's articles: each next character drawn from those that follow the last one there. */
    static final class SyntheticText {
        private final Map<Character, List<Character>> next = new HashMap<>();
        private final List<Character> all = new ArrayList<>();
        private final Random random;
        private char last = '的';

        SyntheticText(List<String> corpus, Random random) {
            this.random = random;
            for (String text : corpus) {
                for (int i = 0; i + 1 < text.length(); i++) {
                    next.computeIfAbsent(text.charAt(i), c -> new ArrayList<>()).add(text.charAt(i + 1));
                    all.add(text.charAt(i));
                }
            }
        }

        String next(int length) {
            StringBuilder b = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                List<Character> options = next.get(last);
                last = options == null || random.nextInt(20) == 0 ? all.get(random.nextInt(all.size())) : options.get(random.nextInt(options.size()));
                b.append(last);
            }
            return b.toString();
        }
    }

    private static double medianLexicalMs(LexicalIndex lexical, String text) {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            long t0 = System.nanoTime();
            lexical.scores(text, LexicalIndex.Bm25.DEFAULT);
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        ms.sort(null);
        return ms.get(ms.size() / 2);
    }

    /**
     * What a follow-up adds before search: its earlier user turns embedded in the question's batch
     * (the search rows above leave every embedding out). Interleaved question by question, so load
     * from other processes falls on every variant alike.
     */
    private static void followUpEmbedding(Report report, List<String> questions) throws Exception {
        String[] names = {"question alone", "+ one earlier turn", "+ three earlier turns (shipped)", "+ three turns of 150 characters (the cut's most)"};
        List<List<Double>> ms = new ArrayList<>();
        for (String name : names) {
            ms.add(new ArrayList<>());
        }
        String longest = String.join("\n", "退".repeat(150), "款".repeat(150), "吗".repeat(150));
        try (OnnxEmbedder embedder = OnnxEmbedder.load(Runtime.getRuntime().availableProcessors())) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < questions.size(); i++) {
                    String q = questions.get(i);
                    String one = questions.get((i + 1) % questions.size());
                    String three = String.join("\n", one, questions.get((i + 2) % questions.size()), questions.get((i + 3) % questions.size()));
                    for (int k = 0; k < names.length; k++) {
                        int variant = (k + i + round) % names.length;
                        List<String> batch = variant == 0 ? List.of(q) : List.of(q, variant == 1 ? one : variant == 2 ? three : longest);
                        long t0 = System.nanoTime();
                        embedder.embed(batch);
                        if (round > 0) {
                            ms.get(variant).add((System.nanoTime() - t0) / 1e6);
                        }
                    }
                }
            }
        }
        List<List<String>> rows = new ArrayList<>();
        ms.forEach(list -> list.sort(null));
        double alone = ms.get(0).get(ms.get(0).size() / 2);
        for (int v = 0; v < names.length; v++) {
            rows.add(List.of(names[v], p(ms.get(v), 50), p(ms.get(v), 99), String.format("%.2f", ms.get(v).get(ms.get(v).size() / 2) - alone)));
        }
        report.heading("Embedding a follow-up", String.format("The local model (bge-small-zh, int8 ONNX, %d intra-op threads) embedding the dev set's "
                + "%d questions, each alone and in one batch with the next dev questions as its earlier user turns, twice after a warm-up "
                + "round, variants interleaved. A follow-up's cost beyond a single question is this table's last column plus the search "
                + "rows' \"added by the conversation\".", Runtime.getRuntime().availableProcessors(), questions.size()));
        report.table(List.of("embedded", "p50 ms", "p99 ms", "added to the question alone, p50 ms"), rows);
    }
}
