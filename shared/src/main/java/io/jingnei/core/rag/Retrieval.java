package io.jingnei.core.rag;

import io.jingnei.core.call.CallContext;
import io.jingnei.core.index.Chunk;

import java.util.List;

/**
 * What retrieval found for one question: the passages that cleared the bar (with their sources),
 * the best score seen, and how long it took. The answer step turns it into an LLM call, the fixed
 * no-context answer, or an extract.
 */
public final class Retrieval {
    public final RagRequest request;
    public final CallContext call;
    public final String model;
    public final List<RagResult.Source> sources;
    public final List<Chunk> context;
    public final Double bestScore;
    /** The best passage's cosine plus lead, which {@link RejectionRule} compares with its bar. */
    public final Double confidence;
    public final long retrieveMs;
    /** Which index version answered: part of every cache key, so a new index never serves an old answer. */
    public final String indexVersion;
    /** The question's embedding, for the search and for the semantic cache (which keeps no question with personal information). */
    public final float[] queryVector;

    Retrieval(RagRequest request, CallContext call, String model, List<RagResult.Source> sources, List<Chunk> context,
              Double bestScore, Double confidence, long retrieveMs, String indexVersion, float[] queryVector) {
        this.request = request;
        this.call = call;
        this.model = model;
        this.sources = sources;
        this.context = context;
        this.bestScore = bestScore;
        this.confidence = confidence;
        this.retrieveMs = retrieveMs;
        this.indexVersion = indexVersion;
        this.queryVector = queryVector;
    }

    public boolean empty() {
        return context.isEmpty();
    }
}
