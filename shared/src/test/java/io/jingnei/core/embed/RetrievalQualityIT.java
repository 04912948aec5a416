package io.jingnei.core.embed;

import io.jingnei.core.index.Chunk;
import io.jingnei.core.index.Hit;
import io.jingnei.core.index.IndexFormat;
import io.jingnei.core.index.VectorIndex;
import io.jingnei.core.testing.ResearchData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retrieval with the real model and index on a sample of LCQMC: each positive pair's q1 searched
 * against every q2. A quality floor, not a benchmark (bench/ measures the full sets): the whole
 * pipeline here must find the paraphrase first almost always.
 */
class RetrievalQualityIT {

    @Test
    void finds_the_paraphrase_among_lcqmc_questions() throws Exception {
        java.util.Optional<java.nio.file.Path> data = ResearchData.zhQuestionMatching();
        Assumptions.assumeTrue(data.isPresent(), () -> ResearchData.absent("the LCQMC retrieval floor (recall@1 > 0.90, recall@5 > 0.97)"));
        List<String[]> positives = new ArrayList<>();
        for (String line : Files.readAllLines(data.get().resolve("lcqmc-test.tsv"))) {
            String[] pair = line.split("\t");
            if (pair.length == 3 && pair[2].trim().equals("1") && positives.size() < 200) {
                positives.add(pair);
            }
        }
        Map<String, Integer> candidates = new LinkedHashMap<>();
        positives.forEach(p -> candidates.putIfAbsent(p[1], candidates.size()));
        try (OnnxEmbedder embedder = OnnxEmbedder.load(2)) {
            List<String> texts = new ArrayList<>(candidates.keySet());
            List<float[]> vectors = embedder.embed(texts);
            float[] flat = new float[vectors.size() * 512];
            List<Chunk> chunks = new ArrayList<>();
            for (int i = 0; i < vectors.size(); i++) {
                System.arraycopy(vectors.get(i), 0, flat, i * 512, 512);
                chunks.add(new Chunk("q" + i, 0, texts.get(i), "{}"));
            }
            VectorIndex index = IndexFormat.read(IndexFormat.write(flat, 512, chunks, embedder.modelId(), false));
            int top1 = 0;
            int top5 = 0;
            for (String[] pair : positives) {
                List<Hit> hits = index.search(embedder.embed(List.of(pair[0])).get(0), 5);
                int expected = candidates.get(pair[1]);
                top1 += hits.get(0).position == expected ? 1 : 0;
                top5 += hits.stream().anyMatch(h -> h.position == expected) ? 1 : 0;
            }
            assertThat(top1 / (double) positives.size()).as("recall@1").isGreaterThan(0.90);
            assertThat(top5 / (double) positives.size()).as("recall@5").isGreaterThan(0.97);
        }
    }
}
