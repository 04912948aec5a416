package io.jingnei.core.rag;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of {@code /index-build}: a knowledge base URI in, an index URI out. */
public final class IndexBuildRequest {
    public final String input;
    public final String output;
    public final Boolean int8;

    @JsonCreator
    public IndexBuildRequest(@JsonProperty("input") String input, @JsonProperty("output") String output,
                             @JsonProperty("int8") Boolean int8) {
        this.input = input;
        this.output = output;
        this.int8 = int8;
    }
}
