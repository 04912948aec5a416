package io.jingnei.bench;

import io.jingnei.core.embed.OnnxEmbedder;
import io.jingnei.core.index.Chunk;
import io.jingnei.core.index.Hit;
import io.jingnei.core.index.IndexFormat;
import io.jingnei.core.index.VectorIndex;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Retrieval with the shipped model on zh-question-matching: for each positive pair, q1 is the query
 * and every distinct q2 of the set's positive pairs is a candidate; recall@1 and recall@5.
 */
final class RetrievalQualityBench {
    private final Path data;
    private final int limit;

    RetrievalQualityBench(Path data, int limit) {
        this.data = data;
        this.limit = limit;
    }

    void run(Report report) throws Exception {
        report.heading("Retrieval quality", "bge-small-zh-v1.5 (int8 ONNX, in-process) through Jingnei's index; "
                + (limit == Integer.MAX_VALUE ? "all positive pairs" : "the first " + limit + " positive pairs")
                + ". For reference, the same model measured elsewhere: LCQMC 0.840/0.995, AFQMC 0.186/0.525.");
        List<List<String>> rows = new ArrayList<>();
        try (OnnxEmbedder embedder = OnnxEmbedder.load(Runtime.getRuntime().availableProcessors())) {
            for (String[] set : new String[][] {{"LCQMC test", "lcqmc-test.tsv"}, {"AFQMC dev", "afqmc-dev.tsv"}}) {
                rows.add(measure(embedder, set[0], data.resolve(set[1])));
            }
        }
        report.table(List.of("set", "queries", "candidates", "recall@1", "recall@5", "embed ms/sentence"), rows);
    }

    private List<String> measure(OnnxEmbedder embedder, String name, Path file) throws Exception {
        List<String[]> positives = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] pair = line.split("\t");
            if (pair.length == 3 && pair[2].trim().equals("1") && positives.size() < limit) {
                positives.add(pair);
            }
        }
        Map<String, Integer> candidates = new LinkedHashMap<>();
        positives.forEach(p -> candidates.putIfAbsent(p[1], candidates.size()));
        long start = System.nanoTime();
        List<float[]> vectors = embedder.embed(new ArrayList<>(candidates.keySet()));
        double perSentence = (System.nanoTime() - start) / 1e6 / candidates.size();
        float[] flat = new float[vectors.size() * 512];
        List<Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
            System.arraycopy(vectors.get(i), 0, flat, i * 512, 512);
            chunks.add(new Chunk(String.valueOf(i), 0, "", "{}"));
        }
        VectorIndex index = IndexFormat.inMemory(flat, 512, chunks, embedder.modelId(), false);
        int top1 = 0;
        int top5 = 0;
        for (String[] pair : positives) {
            List<Hit> hits = index.search(embedder.embed(List.of(pair[0])).get(0), 5);
            int expected = candidates.get(pair[1]);
            top1 += hits.get(0).position == expected ? 1 : 0;
            top5 += hits.stream().anyMatch(h -> h.position == expected) ? 1 : 0;
        }
        return List.of(name, String.valueOf(positives.size()), String.valueOf(candidates.size()),
                String.format("%.3f", top1 / (double) positives.size()), String.format("%.3f", top5 / (double) positives.size()),
                String.format("%.2f", perSentence));
    }
}
