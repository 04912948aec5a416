package io.jingnei.core.chat;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.jingnei.core.call.CallTrace;
import io.jingnei.core.llm.CompletionOutcome;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.pricing.Cost;
import io.jingnei.core.pricing.Usage;

import java.util.List;

/** The answer of {@code /chat}: {@code status} is {@code success} or an {@link ErrorKind} word with {@code error}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class ChatResult {
    public final String status;
    public final String content;
    public final Usage usage;
    public final Cost cost;
    @JsonProperty("latency_ms")
    public final long latencyMs;
    public final String model;
    @JsonProperty("request_id")
    public final String requestId;
    public final List<CallTrace.Attempt> attempts;
    /** True when the answer came from the answer cache (no LLM call, no cost). */
    public final Boolean cached;
    public final String error;
    @JsonIgnore
    public final int httpStatus;

    private ChatResult(String status, String content, Usage usage, Cost cost, long latencyMs, String model,
                       String requestId, List<CallTrace.Attempt> attempts, Boolean cached, String error, int httpStatus) {
        this.status = status;
        this.content = content;
        this.usage = usage;
        this.cost = cost;
        this.latencyMs = latencyMs;
        this.model = model;
        this.requestId = requestId;
        this.attempts = attempts;
        this.cached = cached;
        this.error = error;
        this.httpStatus = httpStatus;
    }

    public static ChatResult success(CompletionOutcome outcome, String requestId) {
        return new ChatResult("success", outcome.content(), outcome.usage == null ? Usage.NONE : outcome.usage, outcome.cost,
                outcome.latencyMs, outcome.model, requestId, outcome.attempts, null, null, 200);
    }

    public static ChatResult failure(JingneiException error, String model, String requestId, List<CallTrace.Attempt> attempts, long latencyMs) {
        return new ChatResult(error.kind().status, null, null, null, latencyMs, model, requestId, attempts, null,
                error.getMessage(), error.kind().httpStatus);
    }

    public static ChatResult cached(String content, String model, String requestId, long latencyMs) {
        return new ChatResult("success", content, Usage.NONE, Cost.ZERO, latencyMs, model, requestId, List.of(), Boolean.TRUE, null, 200);
    }

    @JsonIgnore
    public boolean ok() {
        return httpStatus == 200;
    }
}
