package io.jingnei.core.call;

import io.jingnei.core.pricing.Cost;
import io.jingnei.core.pricing.Usage;

/**
 * Told what every LLM call actually used when it ends (a stream when its last chunk is through),
 * so per-user token rates and spend budgets count real usage. Must not block: it is called on the
 * HTTP client's threads.
 */
public interface Metering {
    Metering NONE = (ctx, usage, cost) -> { };

    void charge(CallContext ctx, Usage usage, Cost cost);
}
