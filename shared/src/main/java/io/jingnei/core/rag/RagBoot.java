package io.jingnei.core.rag;

import io.jingnei.core.cache.AnswerCache;
import io.jingnei.core.config.ConfigException;
import io.jingnei.core.embed.Embedder;
import io.jingnei.core.embed.OnnxEmbedder;
import io.jingnei.core.embed.RemoteEmbedder;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.index.Kernels;
import io.jingnei.core.llm.Completions;
import io.jingnei.core.llm.LlmClient;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.request.RequestCaps;
import io.jingnei.core.storage.ObjectStore;
import io.jingnei.core.storage.StorageUris;
import io.jingnei.core.util.Hashing;
import io.jingnei.core.util.TimeSource;
import io.jingnei.core.util.Workers;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Starts RAG for an instance: the embedding model loads while the index is fetched, both once.
 * With no JINGNEI_INDEX_URI the bundled sample knowledge base is indexed into a file:// index first
 * (kept under the temp dir, so a warm restart reuses it).
 */
public final class RagBoot {
    static final String SAMPLE_KB = "/jingnei/sample-kb/ecommerce-faq.jsonl";

    private RagBoot() {
    }

    /** Everything RAG needs from the instance. */
    public static final class Parts {
        final RagConfig config;
        final ObjectStore store;
        final LlmClient llm;
        final Completions completions;
        final CallLog log;
        final RequestCaps caps;
        final boolean llmConfigured;
        final String defaultModel;
        final TimeSource time;
        final Workers workers;
        final AnswerCache cache;
        final int historyTurns;

        public Parts(RagConfig config, ObjectStore store, LlmClient llm, Completions completions, CallLog log, RequestCaps caps,
                     boolean llmConfigured, String defaultModel, TimeSource time, Workers workers, AnswerCache cache,
                     int historyTurns) {
            this.config = config;
            this.store = store;
            this.llm = llm;
            this.completions = completions;
            this.log = log;
            this.caps = caps;
            this.llmConfigured = llmConfigured;
            this.defaultModel = defaultModel;
            this.time = time;
            this.workers = workers;
            this.cache = cache;
            this.historyTurns = historyTurns;
        }
    }

    public static CompletableFuture<RagService> start(Parts p) {
        RagConfig config = p.config;
        CompletableFuture<Embedder> embedder = CompletableFuture.supplyAsync(() -> config.remoteEmbeddings
                ? new RemoteEmbedder(p.llm, config.embeddingModel, p.completions.pii()::maskAlone)
                : OnnxEmbedder.load(Runtime.getRuntime().availableProcessors()), p.workers.blocking());
        String model = config.remoteEmbeddings ? config.embeddingModel : OnnxEmbedder.MODEL_ID;
        CompletableFuture<IndexHolder> index;
        if (config.indexUri.isPresent()) {
            URI uri = configured(config.indexUri.get(), "JINGNEI_INDEX_URI");
            URI metadata = config.faissMetadataUri.map(m -> configured(m, "JINGNEI_INDEX_METADATA_URI"))
                    .orElseGet(() -> URI.create(uri.toString().replaceFirst("\\.faiss$", ".json")));
            IndexHolder holder = new IndexHolder(p.store, uri, metadata, model, config.reloadInterval, p.time, p.workers.cpu(), p.log);
            index = holder.load().thenApply(done -> holder);
        } else {
            index = embedder.thenCompose(e -> sampleIndex(p, e)).thenCompose(uri -> {
                IndexHolder holder = new IndexHolder(p.store, uri, uri, model, config.reloadInterval, p.time, p.workers.cpu(), p.log);
                return holder.load().thenApply(done -> holder);
            });
        }
        long start = p.time.nanoTime();
        return embedder.thenCombine(index, (e, holder) -> {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("index", holder.uri().toString());
            fields.put("embedder", e.modelId());
            fields.put("kernel", Kernels.best().name());
            fields.put("boot_ms", (p.time.nanoTime() - start) / 1_000_000);
            try {
                fields.put("chunks", holder.require().size());
            } catch (JingneiException unavailable) {
                fields.put("error", unavailable.getMessage());
            }
            p.log.event("rag ready", fields);
            return new RagService(e, holder, p.completions, p.log, p.caps, config, p.llmConfigured, p.defaultModel, p.workers.cpu(), p.cache, p.historyTurns,
                    p.time);
        });
    }

    private static URI configured(String text, String setting) {
        try {
            return StorageUris.parse(text);
        } catch (JingneiException e) {
            throw new ConfigException(setting + ": " + e.getMessage());
        }
    }

    private static CompletableFuture<URI> sampleIndex(Parts p, Embedder embedder) {
        byte[] kb;
        try (InputStream in = RagBoot.class.getResourceAsStream(SAMPLE_KB)) {
            kb = in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("the sample knowledge base is missing from the jar", e));
        }
        String version = Hashing.sha256Hex(kb).substring(0, 12) + "-" + embedder.modelId();
        Path file = Paths.get(System.getProperty("java.io.tmpdir"), "jingnei-sample", "sample-" + version + ".jnix").toAbsolutePath();
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
            TextChunker chunker = new TextChunker(p.config.chunkChars, p.config.chunkOverlap);
            new IndexBuilder(p.store, embedder, chunker, RagConfig.DEFAULT_MAX_FILE_BYTES, RagConfig.DEFAULT_KEEP_VERSIONS, p.time)
                    .build(source.toUri().toString(), uri.toString(), false, (done, all) -> { });
            return uri;
        }, p.workers.blocking());
    }
}
