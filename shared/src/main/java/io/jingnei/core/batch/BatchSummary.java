package io.jingnei.core.batch;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.util.Json;

import java.math.BigDecimal;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;

/** What a batch did: the function's answer and the {@code .summary.json} beside the output. */
public final class BatchSummary {
    private static final ObjectMapper JSON = Json.mapper();

    public final String status = "success";
    public final String input;
    public final String output;
    public final int questions;
    @JsonProperty("unique_questions")
    public final int uniqueQuestions;
    @JsonProperty("by_status")
    public final Map<String, Integer> byStatus;
    @JsonProperty("llm_calls")
    public final int llmCalls;
    /** Questions answered from the answer cache (another call asked them before): no LLM call, no cost. */
    @JsonProperty("cache_hits")
    public final int cacheHits;
    /** Lines answered without asking: duplicates within the file and answers from earlier runs. */
    public final int reused;
    @JsonProperty("prompt_tokens")
    public final long promptTokens;
    @JsonProperty("completion_tokens")
    public final long completionTokens;
    @JsonProperty("cost_usd")
    public final BigDecimal costUsd;
    @JsonProperty("cost_cny")
    public final BigDecimal costCny;
    @JsonProperty("duration_ms")
    public final long durationMs;
    /** {@code realtime}, or {@code batch}: answered by the provider's Batch API at its batch price. */
    public final String mode;
    @JsonProperty("batch_ids")
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public final java.util.List<String> batchIds;

    private BatchSummary(Builder b, int llmCalls, int cacheHits, int reused, long durationMs, String mode, java.util.List<String> batchIds) {
        this.mode = mode;
        this.batchIds = batchIds;
        this.input = b.input.toString();
        this.output = b.output.toString();
        this.questions = b.questions;
        this.uniqueQuestions = b.unique;
        this.byStatus = b.byStatus;
        this.llmCalls = llmCalls;
        this.cacheHits = cacheHits;
        this.reused = reused;
        this.promptTokens = b.promptTokens;
        this.completionTokens = b.completionTokens;
        this.costUsd = b.usd.stripTrailingZeros();
        this.costCny = b.cny.stripTrailingZeros();
        this.durationMs = durationMs;
    }

    @JsonIgnore
    public String json() {
        try {
            return Json.pretty().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class Builder {
        private final URI input;
        private final URI output;
        private final int questions;
        private final int unique;
        private final Map<String, Integer> byStatus = new TreeMap<>();
        private long promptTokens;
        private long completionTokens;
        private BigDecimal usd = BigDecimal.ZERO;
        private BigDecimal cny = BigDecimal.ZERO;

        Builder(URI input, URI output, int questions, int unique) {
            this.input = input;
            this.output = output;
            this.questions = questions;
            this.unique = unique;
        }

        void count(String status) {
            byStatus.merge(status, 1, Integer::sum);
        }

        /** Only answers generated in this run cost anything in this run. */
        void bill(JsonNode answer) {
            promptTokens += answer.path("usage").path("prompt_tokens").asLong();
            completionTokens += answer.path("usage").path("completion_tokens").asLong();
            usd = usd.add(FaqBatch.decimal(answer.path("cost").path("usd")));
            cny = cny.add(FaqBatch.decimal(answer.path("cost").path("cny")));
        }

        BatchSummary finish(int llmCalls, int cacheHits, int reused, long durationMs, String mode, java.util.List<String> batchIds) {
            return new BatchSummary(this, llmCalls, cacheHits, reused, durationMs, mode, batchIds);
        }
    }
}
