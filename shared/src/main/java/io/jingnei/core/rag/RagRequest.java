package io.jingnei.core.rag;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of {@code /rag-query}. */
public final class RagRequest {
    public final String query;
    @JsonProperty("top_k")
    public final Integer topK;
    public final Double threshold;
    public final String model;
    @JsonProperty("user_id")
    public final String userId;
    @JsonProperty("system_prompt")
    public final String systemPrompt;

    @JsonCreator
    public RagRequest(@JsonProperty("query") String query, @JsonProperty("top_k") Integer topK,
                      @JsonProperty("threshold") Double threshold, @JsonProperty("model") String model,
                      @JsonProperty("user_id") String userId, @JsonProperty("system_prompt") String systemPrompt) {
        this.query = query;
        this.topK = topK;
        this.threshold = threshold;
        this.model = model;
        this.userId = userId;
        this.systemPrompt = systemPrompt;
    }

    public static RagRequest ofQuery(String query) {
        return new RagRequest(query, null, null, null, null, null);
    }
}
