package io.jingnei.core.rag;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.call.CallTrace;
import io.jingnei.core.pricing.Cost;
import io.jingnei.core.pricing.Usage;

import java.util.List;

/**
 * The answer of {@code /rag-query}. {@code status}: {@code success}, {@code no_context} (nothing in
 * the knowledge base cleared the threshold; no LLM call), {@code index_unavailable}, or a chat
 * failure status with {@code error}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class RagResult {
    public static final String NO_CONTEXT_ANSWER = "抱歉，我在知识库中未找到相关信息。";

    public final String status;
    public final String answer;
    public final List<Source> sources;
    public final Usage usage;
    public final Cost cost;
    @JsonProperty("latency_ms")
    public final Latency latencyMs;
    public final String mode;
    public final String model;
    @JsonProperty("request_id")
    public final String requestId;
    /** Every upstream attempt: {@code {upstream, model, status, ms}}; empty when no LLM was asked. */
    public final List<CallTrace.Attempt> attempts;
    /** True when the answer came from the answer cache (no LLM call, no cost). */
    public final Boolean cached;
    public final String error;
    @JsonIgnore
    public final int httpStatus;

    RagResult(String status, String answer, List<Source> sources, Usage usage, Cost cost, Latency latencyMs, String mode,
              String model, String requestId, List<CallTrace.Attempt> attempts, String error, int httpStatus) {
        this(status, answer, sources, usage, cost, latencyMs, mode, model, requestId, attempts, null, error, httpStatus);
    }

    RagResult(String status, String answer, List<Source> sources, Usage usage, Cost cost, Latency latencyMs, String mode,
              String model, String requestId, List<CallTrace.Attempt> attempts, Boolean cached, String error, int httpStatus) {
        this.status = status;
        this.answer = answer;
        this.sources = sources;
        this.usage = usage;
        this.cost = cost;
        this.latencyMs = latencyMs;
        this.mode = mode;
        this.model = model;
        this.requestId = requestId;
        this.attempts = attempts;
        this.cached = cached;
        this.error = error;
        this.httpStatus = httpStatus;
    }

    static RagResult failure(JingneiException e, String model, String requestId, List<Source> sources, Latency latency,
                             List<CallTrace.Attempt> attempts) {
        return new RagResult(e.kind().status, null, sources, null, null, latency, null, model, requestId, attempts, e.getMessage(),
                e.kind().httpStatus);
    }

    @JsonIgnore
    public boolean ok() {
        return httpStatus == 200;
    }

    /** A retrieved chunk: {@code id} is the source document's id. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Source {
        public final String id;
        public final int chunk;
        public final double similarity;
        @JsonRawValue
        public final String metadata;
        public final String text;

        @com.fasterxml.jackson.annotation.JsonCreator
        Source(@JsonProperty("id") String id, @JsonProperty("chunk") int chunk, @JsonProperty("similarity") double similarity,
               @JsonProperty("metadata") com.fasterxml.jackson.databind.JsonNode metadata, @JsonProperty("text") String text) {
            this(id, chunk, similarity, metadata == null ? "{}" : metadata.toString(), text);
        }

        Source(String id, int chunk, double similarity, String metadata, String text) {
            this.id = id;
            this.chunk = chunk;
            this.similarity = similarity;
            this.metadata = metadata;
            this.text = text;
        }
    }

    public static final class Latency {
        public final long retrieve;
        public final long llm;
        public final long total;

        Latency(long retrieve, long llm, long total) {
            this.retrieve = retrieve;
            this.llm = llm;
            this.total = total;
        }
    }
}
