package io.jingnei.core.rag;

import io.jingnei.core.chat.ChatLimits;
import io.jingnei.core.embed.Embedder;
import io.jingnei.core.embed.OnnxEmbedder;
import io.jingnei.core.embed.RemoteEmbedder;
import io.jingnei.core.llm.Completions;
import io.jingnei.core.llm.LlmClient;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.storage.ObjectStore;
import io.jingnei.core.storage.ObjectStores;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Starts RAG for an instance: the embedding model loads while the index is fetched, both once.
 * With no JINGNEI_INDEX_URI the bundled sample knowledge base is indexed into a file:// index first
 * (kept under the temp dir, so a warm restart reuses it).
 */
public final class RagBoot {
    static final String SAMPLE_KB = "/jingnei/sample-kb/ecommerce-faq.jsonl";

    private RagBoot() {
    }

    public static CompletableFuture<RagService> start(RagConfig config, ObjectStore store, LlmClient llm, Completions completions,
                                                      CallLog log, ChatLimits limits, boolean llmConfigured, String defaultModel,
                                                      LongSupplier nanoTime) {
        CompletableFuture<Embedder> embedder = CompletableFuture.supplyAsync(() -> config.remoteEmbeddings
                ? new RemoteEmbedder(llm, config.embeddingModel)
                : OnnxEmbedder.load(Runtime.getRuntime().availableProcessors()));
        String model = config.remoteEmbeddings ? config.embeddingModel : OnnxEmbedder.MODEL_ID;
        CompletableFuture<IndexHolder> index;
        if (config.indexUri.isPresent()) {
            URI uri = ObjectStores.parse(config.indexUri.get());
            URI metadata = config.faissMetadataUri.map(ObjectStores::parse)
                    .orElseGet(() -> URI.create(uri.toString().replaceFirst("\\.faiss$", ".json")));
            IndexHolder holder = new IndexHolder(store, uri, metadata, model, config.reloadInterval, nanoTime);
            index = holder.load().thenApply(done -> holder);
        } else {
            index = embedder.thenCompose(e -> sampleIndex(store, e, config)).thenCompose(uri -> {
                IndexHolder holder = new IndexHolder(store, uri, uri, model, config.reloadInterval, nanoTime);
                return holder.load().thenApply(done -> holder);
            });
        }
        long start = nanoTime.getAsLong();
        return embedder.thenCombine(index, (e, holder) -> {
            java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
            fields.put("index", holder.uri().toString());
            fields.put("embedder", e.modelId());
            fields.put("kernel", io.jingnei.core.index.Kernels.best().name());
            fields.put("boot_ms", (nanoTime.getAsLong() - start) / 1_000_000);
            try {
                fields.put("chunks", holder.require().size());
            } catch (IndexUnavailableException unavailable) {
                fields.put("error", unavailable.getMessage());
            }
            log.event("rag ready", fields);
            return new RagService(e, holder, completions, log, limits, config, llmConfigured, defaultModel);
        });
    }

    private static CompletableFuture<URI> sampleIndex(ObjectStore store, Embedder embedder, RagConfig config) {
        byte[] kb;
        try (InputStream in = RagBoot.class.getResourceAsStream(SAMPLE_KB)) {
            kb = in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("the sample knowledge base is missing from the jar"));
        }
        String version = io.jingnei.core.storage.SigV4Signer.sha256Hex(kb).substring(0, 12) + "-" + embedder.modelId();
        Path file = Paths.get(System.getProperty("java.io.tmpdir"), "jingnei-sample", "sample-" + version + ".jnix");
        URI uri = file.toUri();
        if (Files.isRegularFile(file)) {
            return CompletableFuture.completedFuture(uri);
        }
        Path source = file.resolveSibling("sample-" + version + ".jsonl");
        return CompletableFuture.supplyAsync(() -> {
            try {
                Files.createDirectories(file.getParent());
                Files.write(source, kb);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write the sample knowledge base under " + file.getParent(), e);
            }
            TextChunker chunker = new TextChunker(config.chunkChars, config.chunkOverlap);
            new IndexBuilder(store, embedder, chunker).build(source.toUri().toString(), uri.toString(), false, (done, all) -> { });
            return uri;
        });
    }
}
