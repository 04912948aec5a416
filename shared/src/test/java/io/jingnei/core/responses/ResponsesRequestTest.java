package io.jingnei.core.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The table in {@code responses/requests.json}: each Responses body, and the chat body or the refusal it becomes. */
class ResponsesRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode table() throws IOException {
        try (InputStream in = ResponsesRequestTest.class.getResourceAsStream("/responses/requests.json")) {
            return JSON.readTree(in);
        }
    }

    static Stream<Arguments> translated() throws IOException {
        return cases("translated");
    }

    static Stream<Arguments> refused() throws IOException {
        return cases("refused");
    }

    private static Stream<Arguments> cases(String group) throws IOException {
        List<Arguments> cases = new ArrayList<>();
        table().path(group).forEach(c -> cases.add(Arguments.of(Named.of(c.path("name").asText(), c))));
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("translated")
    void a_responses_body_becomes_the_chat_body(JsonNode row) {
        ResponsesRequest request = ResponsesRequest.from((ObjectNode) row.get("body").deepCopy());

        assertThat(request.chat).isEqualTo(row.get("chat"));
        assertThat(request.stream).isEqualTo(row.path("body").path("stream").asBoolean(false));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void what_is_not_served_is_a_400_naming_its_param(JsonNode row) {
        JingneiException refused = catchThrowableOfType(() -> ResponsesRequest.from((ObjectNode) row.get("body").deepCopy()),
                JingneiException.class);

        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(refused.param()).contains(row.path("param").asText());
        assertThat(refused.getMessage()).contains(row.path("says").asText());
    }

    @ParameterizedTest
    @MethodSource("translated")
    void every_response_repeats_what_the_spec_requires_of_the_request(JsonNode row) {
        ObjectNode echo = ResponsesRequest.from((ObjectNode) row.get("body").deepCopy()).echo;

        assertThat(echo.fieldNames()).toIterable().contains("instructions", "tools", "parallel_tool_calls", "metadata", "tool_choice",
                "temperature", "top_p");
        for (JsonNode tool : echo.path("tools")) {
            assertThat(tool.fieldNames()).toIterable().contains("type", "name", "strict", "parameters");
        }
    }

    @org.junit.jupiter.api.Test
    void a_cap_on_the_chat_body_is_told_in_the_responses_apis_names() {
        JingneiException cap = new JingneiException(ErrorKind.INVALID_REQUEST, "'max_tokens' must be a whole number from 1 to 8192").about("max_tokens");
        JingneiException other = new JingneiException(ErrorKind.INVALID_REQUEST, "'temperature' must be a number from 0 to 2").about("temperature");

        JingneiException told = ResponsesRequest.inResponsesTerms(cap);

        assertThat(told.param()).contains("max_output_tokens");
        assertThat(told.getMessage()).isEqualTo("'max_output_tokens' must be a whole number from 1 to 8192");
        assertThat(told.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(ResponsesRequest.inResponsesTerms(other)).isSameAs(other);
    }
}
