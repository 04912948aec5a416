package io.jingnei.core.rag;

import io.jingnei.core.config.Env;
import io.jingnei.core.embed.Embedder;
import io.jingnei.core.embed.OnnxEmbedder;
import io.jingnei.core.index.HybridIndex;
import io.jingnei.core.index.IndexFormat;
import io.jingnei.core.storage.FileObjectStore;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The conversation dev set (conversation-dev/) over the retrieval dev set's knowledge base, with
 * the retrieval dev set's single questions beside it: the index built with the real model, and
 * every text's embedding kept in target/ between runs (the tuning loop re-reads them instead of
 * embedding again). Shared by ConversationDevSetIT and the tuning main, ConversationTuning.
 */
final class ConversationDevSet implements AutoCloseable {
    static final RagConfig CONFIG = RagConfig.from(Env.of(Map.of()));
    final HybridIndex index;
    final List<EvalQuestion> conversations;
    final List<String> conversationDomains = new ArrayList<>();
    /** Single questions on the same articles, answerable and not (singles.jsonl, singles-oos.jsonl); empty when the set has none. */
    final List<EvalQuestion> singles;
    private final Map<String, float[]> vectors;
    private final Path cache;
    private OnnxEmbedder embedder;

    /** The conversation dev set over the retrieval dev set's articles (its single questions are RetrievalDevSetIT's). */
    ConversationDevSet() throws Exception {
        this(resource("/retrieval-dev/articles.jsonl"), resource("/conversation-dev/conversations.jsonl"), "conversation-dev");
    }

    /**
     * A set of its own articles and conversations (articles.jsonl, conversations.jsonl) in this
     * folder: the blind sets under conversation-dev/ ({@link #blind}), or any other (tuning tools).
     */
    static ConversationDevSet of(Path folder) throws Exception {
        return new ConversationDevSet(folder.resolve("articles.jsonl"), folder.resolve("conversations.jsonl"),
                "conversation-" + folder.getFileName());
    }

    /** conversation-dev/blind-N: written blind by someone who never ran the search (README there). */
    static ConversationDevSet blind(int n) throws Exception {
        return of(resource("/conversation-dev/blind-" + n + "/articles.jsonl").getParent());
    }

    private static Path resource(String name) throws java.net.URISyntaxException {
        return Paths.get(ConversationDevSet.class.getResource(name).toURI());
    }

    @SuppressWarnings("unchecked")
    private ConversationDevSet(Path articles, Path conv, String targetName) throws Exception {
        Path dev = articles.getParent();
        Path target = Files.createDirectories(Paths.get("target", targetName));
        Path indexFile = target.resolve("dev.jnix").toAbsolutePath();
        cache = target.resolve("embeddings.ser");
        vectors = Files.exists(cache) ? (Map<String, float[]>) new ObjectInputStream(Files.newInputStream(cache)).readObject() : new HashMap<>();
        if (!Files.exists(indexFile)) {
            new IndexBuilder(new FileObjectStore(), embedder(), new TextChunker(CONFIG.chunkChars, CONFIG.chunkOverlap))
                    .build(articles.toString(), indexFile.toString(), false, (done, all) -> { });
        }
        // A build writes a version and a pointer to it: read what the pointer serves, as instances do.
        try (var served = io.jingnei.core.index.IndexPointer.open(new FileObjectStore(), indexFile.toUri(), Runnable::run).get()) {
            index = IndexFormat.load(served.in, io.jingnei.core.text.BigramSplitter.INSTANCE);
        }
        String text = Files.readString(conv, StandardCharsets.UTF_8);
        conversations = EvalQuestion.parse(text, false, "conversations.jsonl");
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                conversationDomains.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).path("domain").asText());
            }
        }
        singles = new ArrayList<>();
        if (Files.exists(dev.resolve("singles.jsonl"))) {
            singles.addAll(EvalQuestion.parse(Files.readString(dev.resolve("singles.jsonl")), false, "singles.jsonl"));
            singles.addAll(EvalQuestion.parse(Files.readString(dev.resolve("singles-oos.jsonl")), true, "singles-oos.jsonl"));
        }
    }

    private Embedder embedder() {
        if (embedder == null) {
            embedder = OnnxEmbedder.load(2);
        }
        return embedder;
    }

    /** The embeddings of these texts, from the cache or the model (then cached). */
    List<float[]> embed(List<String> texts) throws IOException {
        List<String> missing = new ArrayList<>();
        for (String t : texts) {
            if (!vectors.containsKey(t) && !missing.contains(t)) {
                missing.add(t);
            }
        }
        if (!missing.isEmpty()) {
            for (int from = 0; from < missing.size(); from += 64) {
                List<String> batch = missing.subList(from, Math.min(missing.size(), from + 64));
                List<float[]> got = embedder().embed(batch);
                for (int i = 0; i < batch.size(); i++) {
                    vectors.put(batch.get(i), got.get(i));
                }
            }
            try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(cache))) {
                out.writeObject(vectors);
            }
        }
        List<float[]> result = new ArrayList<>();
        texts.forEach(t -> result.add(vectors.get(t)));
        return result;
    }

    RetrievalEval eval(List<EvalQuestion> questions, FollowUpSearch followUps) throws IOException {
        List<String> texts = new ArrayList<>();
        List<String> contexts = new ArrayList<>();
        for (EvalQuestion q : questions) {
            texts.add(q.question);
            String earlier = followUps.earlier(q.history, q.question);
            contexts.add(earlier.isEmpty() ? null : earlier);
        }
        List<float[]> questionVectors = embed(texts);
        List<String> present = new ArrayList<>();
        contexts.forEach(c -> {
            if (c != null) {
                present.add(c);
            }
        });
        embed(present);
        List<float[]> contextVectors = new ArrayList<>();
        contexts.forEach(c -> contextVectors.add(c == null ? null : vectors.get(c)));
        return new RetrievalEval(index, questions, questionVectors, contextVectors, followUps);
    }

    @Override
    public void close() {
        if (embedder != null) {
            embedder.close();
        }
    }
}
