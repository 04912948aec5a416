package io.jingnei.core.rag;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code /index-build}: a knowledge base URI in, an index URI out; or, with
 * {@code rollback}, only the index URI and the kept version to serve again.
 */
public final class IndexBuildRequest {
    public final String input;
    public final String output;
    public final Boolean int8;
    public final Long rollback;

    public IndexBuildRequest(String input, String output, Boolean int8) {
        this(input, output, int8, null);
    }

    @JsonCreator
    public IndexBuildRequest(@JsonProperty("input") String input, @JsonProperty("output") String output,
                             @JsonProperty("int8") Boolean int8, @JsonProperty("rollback") Long rollback) {
        this.input = input;
        this.output = output;
        this.int8 = int8;
        this.rollback = rollback;
    }
}
