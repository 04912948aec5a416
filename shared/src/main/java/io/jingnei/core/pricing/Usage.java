package io.jingnei.core.pricing;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** Token counts as the upstream reported them. {@code cachedPromptTokens} is part of {@code promptTokens}. */
public final class Usage {
    public static final Usage NONE = new Usage(0, 0, 0);

    @JsonProperty("prompt_tokens")
    public final long promptTokens;
    @JsonProperty("completion_tokens")
    public final long completionTokens;
    @JsonProperty("total_tokens")
    public final long totalTokens;
    @JsonIgnore
    public final long cachedPromptTokens;

    public Usage(long promptTokens, long completionTokens, long cachedPromptTokens) {
        this.promptTokens = promptTokens;
        this.completionTokens = completionTokens;
        this.totalTokens = promptTokens + completionTokens;
        this.cachedPromptTokens = Math.min(cachedPromptTokens, promptTokens);
    }

    /** Reads an OpenAI {@code usage} object; null when the node is missing or null. */
    public static Usage fromJson(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
        if (cached == 0) {
            // DeepSeek reports cache hits under its own name.
            cached = usage.path("prompt_cache_hit_tokens").asLong(0);
        }
        return new Usage(usage.path("prompt_tokens").asLong(0), usage.path("completion_tokens").asLong(0), cached);
    }
}
