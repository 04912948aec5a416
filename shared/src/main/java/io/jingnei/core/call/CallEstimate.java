package io.jingnei.core.call;

/**
 * What a call may use, known before it runs: its model (null for the default), its prompt's tokens
 * (estimated, see {@code llm.TokenEstimate}) and the answer it may produce. Tokens per minute count
 * the prompt and {@code max_tokens} (else a typical answer), as OpenAI's own rate limits do;
 * budgets reserve the most the call can cost, the prompt and {@code max_tokens} or the model's
 * whole output limit, so calls running at once cannot spend past a budget by more than one call.
 */
public final class CallEstimate {
    /** The answer assumed for tokens per minute when a call does not bound it. */
    static final int TYPICAL_ANSWER = 256;

    public final String model;
    public final long promptTokens;
    /** {@code max_tokens} as asked, or null. */
    public final Integer maxTokens;
    /** Whether the call costs money (false for local embeddings: the instance's CPU, not a bill). */
    public final boolean paid;

    private CallEstimate(String model, long promptTokens, Integer maxTokens, boolean paid) {
        this.model = model;
        this.promptTokens = Math.max(0, promptTokens);
        this.maxTokens = maxTokens;
        this.paid = paid;
    }

    /** An LLM call: model null for the default. */
    public static CallEstimate of(String model, long promptTokens, Integer maxTokens) {
        return new CallEstimate(model, promptTokens, maxTokens, true);
    }

    /** Paid input without an answer (remote embeddings). */
    public static CallEstimate inputOnly(String model, long tokens) {
        return new CallEstimate(model, tokens, 0, true);
    }

    /** Work done on the instance itself (local embeddings): counted against tokens per minute only. */
    public static CallEstimate local(long tokens) {
        return new CallEstimate(null, tokens, 0, false);
    }

    /** Tokens counted against tokens per minute while the call runs. */
    /** What the tokens-per-minute limit counts (used by {@code limits.Quotas}). */
    public long rateTokens() {
        return promptTokens + (maxTokens != null ? maxTokens : TYPICAL_ANSWER);
    }

    /** The most output tokens the call can be billed for. */
    /** The most the answer may use, for a budget's reservation (used by {@code limits.Quotas}). */
    public long outputAtMost(int modelOutputLimit) {
        return maxTokens != null ? maxTokens : modelOutputLimit;
    }
}
