package io.jingnei.core.batch;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of {@code /faq-batch} and the payload of a timer: where the questions are, and optionally where answers go. */
public final class FaqBatchRequest {
    public final String input;
    public final String output;

    @JsonCreator
    public FaqBatchRequest(@JsonProperty("input") String input, @JsonProperty("output") String output) {
        this.input = input;
        this.output = output;
    }
}
