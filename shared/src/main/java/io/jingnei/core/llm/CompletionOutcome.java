package io.jingnei.core.llm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.call.CallTrace;
import io.jingnei.core.pricing.Cost;
import io.jingnei.core.pricing.Usage;

import java.util.List;

/** A successful non-streaming completion with what it cost. */
public final class CompletionOutcome {
    public final ObjectNode response;
    public final String model;
    public final Usage usage;
    public final Cost cost;
    public final List<CallTrace.Attempt> attempts;
    public final long latencyMs;
    /** The upstream's own request id, for support cases with the provider; may be null. */
    public final String upstreamRequestId;

    CompletionOutcome(ObjectNode response, String model, Usage usage, Cost cost, List<CallTrace.Attempt> attempts, long latencyMs,
                      String upstreamRequestId) {
        this.response = response;
        this.model = model;
        this.usage = usage;
        this.cost = cost;
        this.attempts = attempts;
        this.latencyMs = latencyMs;
        this.upstreamRequestId = upstreamRequestId;
    }

    /** The first choice's message text, or "" when the upstream sent none. */
    public String content() {
        return response.path("choices").path(0).path("message").path("content").asText("");
    }
}
