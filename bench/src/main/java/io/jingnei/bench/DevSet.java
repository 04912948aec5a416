package io.jingnei.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.embed.Embedder;
import io.jingnei.core.index.Chunk;
import io.jingnei.core.index.ChunkTitle;
import io.jingnei.core.index.HybridIndex;
import io.jingnei.core.index.IndexFormat;
import io.jingnei.core.index.LexicalIndex;
import io.jingnei.core.rag.EvalQuestion;
import io.jingnei.core.rag.RetrievalEval;
import io.jingnei.core.text.TermSplitter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The retrieval dev set (shared/src/test/resources/retrieval-dev), its articles embedded once with and without titles. */
final class DevSet {
    final List<Chunk> chunks = new ArrayList<>();
    final List<EvalQuestion> questions = new ArrayList<>();
    final List<float[]> questionVectors;
    final float[] contentVectors;
    final float[] titledVectors;
    final String model;

    DevSet(Path dir, Embedder embedder) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> contents = new ArrayList<>();
        List<String> titled = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("articles.jsonl"))) {
            JsonNode n = json.readTree(line);
            Chunk chunk = new Chunk(n.get("id").asText(), 0, n.get("content").asText(), n.path("metadata").toString());
            chunks.add(chunk);
            contents.add(chunk.text);
            titled.add(ChunkTitle.embeddedText(chunk));
        }
        questions.addAll(EvalQuestion.parse(Files.readString(dir.resolve("queries.jsonl")), false, "queries.jsonl"));
        questions.addAll(EvalQuestion.parse(Files.readString(dir.resolve("oos.jsonl")), true, "oos.jsonl"));
        questionVectors = RetrievalEval.embed(embedder, questions);
        contentVectors = flat(embedder.embed(contents));
        titledVectors = flat(embedder.embed(titled));
        model = embedder.modelId();
    }

    private static float[] flat(List<float[]> vectors) {
        int dim = vectors.get(0).length;
        float[] out = new float[vectors.size() * dim];
        for (int i = 0; i < vectors.size(); i++) {
            System.arraycopy(vectors.get(i), 0, out, i * dim, dim);
        }
        return out;
    }

    HybridIndex index(boolean titles, TermSplitter splitter) {
        float[] vectors = titles ? titledVectors : contentVectors;
        LexicalIndex lexical = splitter == null ? null : IndexFormat.lexical(chunks, splitter);
        return new HybridIndex(IndexFormat.inMemory(vectors, vectors.length / chunks.size(), chunks, model, false), lexical);
    }

    /** The domain a question belongs to: its first expected id's prefix; out-of-scope ones are dealt round the domains. */
    static List<String> folds(List<EvalQuestion> questions) {
        List<String> domains = List.of("ec", "tel", "bank", "ins", "log", "saas");
        List<String> folds = new ArrayList<>();
        int dealt = 0;
        for (EvalQuestion q : questions) {
            folds.add(q.inScope() ? q.expected.iterator().next().split("-")[0] : domains.get(dealt++ % domains.size()));
        }
        return folds;
    }
}
