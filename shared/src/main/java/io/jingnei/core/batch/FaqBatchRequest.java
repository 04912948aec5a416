package io.jingnei.core.batch;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code /faq-batch} and the payload of a timer: where the questions are, optionally
 * where answers go, {@code mode} ({@code realtime} or {@code batch}; default JINGNEI_FAQ_MODE) and,
 * for a pending provider batch, {@code cancel}.
 */
public final class FaqBatchRequest {
    public final String input;
    public final String output;
    public final String mode;
    public final boolean cancel;

    @JsonCreator
    public FaqBatchRequest(@JsonProperty("input") String input, @JsonProperty("output") String output,
                           @JsonProperty("mode") String mode, @JsonProperty("cancel") Boolean cancel) {
        this.input = input;
        this.output = output;
        this.mode = mode;
        this.cancel = Boolean.TRUE.equals(cancel);
    }

    public FaqBatchRequest(String input, String output) {
        this(input, output, null, null);
    }
}
