package io.jingnei.core.rag;

import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Durations;
import io.jingnei.core.config.Env;

import java.time.Duration;
import java.util.Optional;

/** RAG settings (see the README table). */
public final class RagConfig {
    /**
     * For question-to-passage search with bge-small-zh-v1.5, measured on LCQMC/AFQMC and the sample
     * knowledge base (README, "Choosing the threshold"). The reference design's 0.7 was tuned for
     * another model; an index whose entries are themselves questions wants about 0.80.
     */
    public static final double DEFAULT_THRESHOLD = 0.50;

    /** Empty: the bundled sample knowledge base, indexed at start-up into a file:// index. */
    public final Optional<String> indexUri;
    public final Optional<String> faissMetadataUri;
    public final Duration reloadInterval;
    public final int topK;
    public final double threshold;
    public final boolean remoteEmbeddings;
    public final String embeddingModel;
    public final int chunkChars;
    public final int chunkOverlap;
    public final boolean enabled;

    private RagConfig(Env env) {
        this.indexUri = env.get("JINGNEI_INDEX_URI");
        this.faissMetadataUri = env.get("JINGNEI_INDEX_METADATA_URI");
        this.reloadInterval = Durations.parse("JINGNEI_INDEX_RELOAD_INTERVAL", env.get("JINGNEI_INDEX_RELOAD_INTERVAL").orElse("60s"));
        this.topK = integer(env, "JINGNEI_RAG_TOP_K", 3, 1, 50);
        this.threshold = number(env, "JINGNEI_RAG_THRESHOLD", DEFAULT_THRESHOLD);
        String embedder = env.get("JINGNEI_EMBEDDER").orElse("local");
        if (!embedder.equals("local") && !embedder.equals("remote")) {
            throw new ConfigException("JINGNEI_EMBEDDER must be 'local' or 'remote', got '" + embedder + "'");
        }
        this.remoteEmbeddings = embedder.equals("remote");
        this.embeddingModel = env.get("JINGNEI_EMBEDDING_MODEL").orElse(remoteEmbeddings ? "text-embedding-3-small" : "bge-small-zh-v1.5-q");
        this.chunkChars = integer(env, "JINGNEI_CHUNK_CHARS", 300, 50, 8000);
        this.chunkOverlap = integer(env, "JINGNEI_CHUNK_OVERLAP", 50, 0, 2000);
        this.enabled = !env.get("JINGNEI_RAG_ENABLED").map(v -> v.equalsIgnoreCase("false") || v.equals("0")).orElse(false);
    }

    public static RagConfig from(Env env) {
        return new RagConfig(env);
    }

    private static int integer(Env env, String name, int fallback, int min, int max) {
        String text = env.get(name).orElse(String.valueOf(fallback));
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new ConfigException(name + " must be between " + min + " and " + max + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, got '" + text + "'");
        }
    }

    private static double number(Env env, String name, double fallback) {
        String text = env.get(name).orElse(String.valueOf(fallback));
        try {
            double value = Double.parseDouble(text);
            if (value < -1 || value > 1) {
                throw new ConfigException(name + " is a cosine similarity between -1 and 1, got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a number, got '" + text + "'");
        }
    }
}
