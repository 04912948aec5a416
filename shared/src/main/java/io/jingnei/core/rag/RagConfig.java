package io.jingnei.core.rag;

import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;
import io.jingnei.core.config.Settings;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

import java.time.Duration;
import java.util.Optional;

/** RAG settings (see docs/configuration.md). */
public final class RagConfig {
    /**
     * For question-to-passage search with bge-small-zh-v1.5, measured on LCQMC/AFQMC and the sample
     * knowledge base (docs/rag.md, "The cosine floor"). The reference design's 0.7 was tuned for
     * another model; an index whose entries are themselves questions wants about 0.80.
     */
    public static final double DEFAULT_THRESHOLD = 0.50;

    /** A knowledge-base file larger than this is skipped by index-build (not read into memory). */
    public static final long DEFAULT_MAX_FILE_BYTES = 50L * 1024 * 1024;
    /** Index versions kept beside the pointer for rollback. */
    public static final int DEFAULT_KEEP_VERSIONS = 5;

    /** Empty: the bundled sample knowledge base, indexed at start-up into a file:// index. */
    public final Optional<String> indexUri;
    public final Optional<String> faissMetadataUri;
    /** The knowledge base the object and timer events rebuild into {@link #indexUri}; empty: events build nothing. */
    public final Optional<String> knowledgeBaseUri;
    public final Duration reloadInterval;
    public final int topK;
    /** The most passages a caller other than an admin may ask for ({@code top_k}): more would page through the knowledge base. */
    public final int maxTopK;
    /** The cosine below which no passage is used (a request's own {@code threshold} replaces the whole rule). */
    public final double threshold;
    /** {@link RejectionRule}'s bar on the best passage's score ({@link RejectionRule#score}: cosine plus lead, plus coverage); 0 turns it off. */
    public final double minConfidence;
    /** Whether search uses the index's lexical part too (false: dense-only, as in the first round). */
    public final boolean hybrid;
    public final boolean remoteEmbeddings;
    public final String embeddingModel;
    public final int chunkChars;
    public final int chunkOverlap;
    public final boolean enabled;
    public final long maxFileBytes;
    public final int keepVersions;
    /** JINGNEI_RAG_REWRITE=llm: a follow-up is rewritten by the LLM into one standalone question before search ({@link FollowUpRewrite}). */
    public final boolean rewriteWithLlm;
    /** The rewrite's model; empty: the answer's. */
    public final Optional<String> rewriteModel;
    /** How long search waits for the rewrite before it goes on without it. */
    public final Duration rewriteTimeout;

    private RagConfig(Env env) {
        this.indexUri = env.get("JINGNEI_INDEX_URI");
        this.faissMetadataUri = env.get("JINGNEI_INDEX_METADATA_URI");
        this.knowledgeBaseUri = env.get("JINGNEI_KB_URI");
        this.reloadInterval = Settings.duration(env, "JINGNEI_INDEX_RELOAD_INTERVAL", "60s");
        this.maxTopK = Settings.integer(env, "JINGNEI_MAX_TOP_K", 10, 1, 50);
        this.topK = Settings.integer(env, "JINGNEI_RAG_TOP_K", Math.min(3, maxTopK), 1, maxTopK);
        this.threshold = Settings.number(env, "JINGNEI_RAG_THRESHOLD", DEFAULT_THRESHOLD, -1, 1);
        this.minConfidence = Settings.number(env, "JINGNEI_RAG_MIN_CONFIDENCE", RejectionRule.DEFAULT_MIN_CONFIDENCE, 0, 2);
        this.hybrid = Settings.bool(env, "JINGNEI_RAG_HYBRID", true);
        this.remoteEmbeddings = Settings.choice(env, "JINGNEI_EMBEDDER", "local", "local", "remote").equals("remote");
        // No default for remote embeddings: a guessed model name could be one served abroad.
        this.embeddingModel = remoteEmbeddings
                ? env.get("JINGNEI_EMBEDDING_MODEL").orElseThrow(() -> new ConfigException(
                        "JINGNEI_EMBEDDER=remote needs JINGNEI_EMBEDDING_MODEL, the upstream's embedding model (e.g. text-embedding-v3 on Model Studio)"))
                : env.get("JINGNEI_EMBEDDING_MODEL").orElse("bge-small-zh-v1.5-q");
        this.chunkChars = Settings.integer(env, "JINGNEI_CHUNK_CHARS", 300, 50, 8000);
        this.chunkOverlap = Settings.integer(env, "JINGNEI_CHUNK_OVERLAP", 50, 0, 2000);
        this.enabled = Settings.bool(env, "JINGNEI_RAG_ENABLED", true);
        this.maxFileBytes = Settings.bytes(env, "JINGNEI_INDEX_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES, 1, Integer.MAX_VALUE - 8);
        this.keepVersions = Settings.integer(env, "JINGNEI_INDEX_KEEP_VERSIONS", DEFAULT_KEEP_VERSIONS, 1, 1000);
        this.rewriteWithLlm = Settings.choice(env, "JINGNEI_RAG_REWRITE", "off", "off", "llm").equals("llm");
        this.rewriteModel = env.get("JINGNEI_RAG_REWRITE_MODEL").map(String::strip).filter(m -> !m.isEmpty());
        this.rewriteTimeout = Settings.duration(env, "JINGNEI_RAG_REWRITE_TIMEOUT", "2s");
        if (rewriteTimeout.compareTo(Duration.ofSeconds(30)) > 0) {
            // Every follow-up waits this long when the upstream hangs: a long wait is never worth a rewrite.
            throw new ConfigException("JINGNEI_RAG_REWRITE_TIMEOUT must be at most 30s, got " + env.get("JINGNEI_RAG_REWRITE_TIMEOUT").orElse(""));
        }
    }

    /**
     * What a caller may ask of retrieval: an admin anything the request format allows; anyone else at
     * most {@link #maxTopK} passages and never below the configured cosine floor (a lower
     * {@code threshold} is served by the shipped rule). Otherwise {@code top_k: 50, threshold: -1}
     * hands the whole knowledge base to any caller.
     */
    public RagRequest bounded(RagRequest request, boolean admin) {
        if (request == null || admin) {
            return request;
        }
        if (request.topK != null && request.topK > maxTopK) {
            throw new JingneiException(ErrorKind.INVALID_REQUEST, "field 'top_k' must be between 1 and " + maxTopK + " (JINGNEI_MAX_TOP_K)");
        }
        if (request.threshold != null && request.threshold < threshold) {
            return request.withThreshold(null);
        }
        return request;
    }

    public static RagConfig from(Env env) {
        return new RagConfig(env);
    }

    /** The shipped rule: the cosine floor and the confidence bar. */
    public RejectionRule rejection() {
        return new RejectionRule(threshold, minConfidence);
    }

    public io.jingnei.core.index.Fusion fusion() {
        return hybrid ? io.jingnei.core.index.Fusion.DEFAULT : io.jingnei.core.index.Fusion.DENSE_ONLY;
    }
}
