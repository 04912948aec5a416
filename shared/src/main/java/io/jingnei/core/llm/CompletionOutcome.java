package io.jingnei.core.llm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.pricing.Cost;
import io.jingnei.core.pricing.Usage;

/** A successful non-streaming completion with what it cost. */
public final class CompletionOutcome {
    public final ObjectNode response;
    public final String model;
    public final Usage usage;
    public final Cost cost;
    public final int attempts;
    public final long latencyMs;

    CompletionOutcome(ObjectNode response, String model, Usage usage, Cost cost, int attempts, long latencyMs) {
        this.response = response;
        this.model = model;
        this.usage = usage;
        this.cost = cost;
        this.attempts = attempts;
        this.latencyMs = latencyMs;
    }

    /** The first choice's message text, or "" when the upstream sent none. */
    public String content() {
        return response.path("choices").path(0).path("message").path("content").asText("");
    }
}
