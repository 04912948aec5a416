package io.jingnei.core.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * A run in batch mode that is not collected yet: {@code submitted}, {@code submitting} (another
 * instance is at it), {@code in_progress} with the provider's counts, or {@code cancelling}. Repeat
 * the same faq-batch request to advance it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class BatchProgress {
    public final String status;
    public final String mode = "batch";
    public final String input;
    public final String output;
    public final int questions;
    @JsonProperty("unique_questions")
    public final int uniqueQuestions;
    /** Distinct questions sent to the provider, over every part. */
    public final int requests;
    @JsonProperty("batch_ids")
    public final List<String> batchIds;
    @JsonProperty("request_counts")
    public final ObjectNode requestCounts;
    public final String note;

    private BatchProgress(String status, BatchPlan plan, BatchState state, String note) {
        this.status = status;
        this.input = plan.input.toString();
        this.output = plan.output.toString();
        this.questions = plan.questions.size();
        this.uniqueQuestions = plan.unique.size();
        this.requests = state.requests.size();
        this.batchIds = state.batchIds();
        this.requestCounts = state.counts();
        this.note = note;
    }

    static BatchProgress of(BatchPlan plan, BatchState state, String status, String note) {
        return new BatchProgress(status, plan, state, note);
    }
}
