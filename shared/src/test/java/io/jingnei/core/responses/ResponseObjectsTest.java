package io.jingnei.core.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseObjectsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode echo() {
        return ResponsesRequest.from((ObjectNode) JSON.createObjectNode().put("input", "hi").put("instructions", "Be brief.")).echo;
    }

    @Test
    void a_text_answer_is_one_completed_message_with_the_usage_renamed() throws Exception {
        JsonNode chat = JSON.readTree("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"deepseek-v3.2\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"您好！\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,\"total_tokens\":12,\"prompt_tokens_details\":{\"cached_tokens\":4}}}");

        ObjectNode response = ResponseObjects.fromChat(chat, echo(), "req-1");

        assertThat(response.path("id").asText()).isEqualTo("resp_req-1");
        assertThat(response.path("object").asText()).isEqualTo("response");
        assertThat(response.path("status").asText()).isEqualTo("completed");
        assertThat(response.path("created_at").asLong()).isEqualTo(1700000000L);
        assertThat(response.path("model").asText()).isEqualTo("deepseek-v3.2");
        assertThat(response.path("instructions").asText()).isEqualTo("Be brief.");
        assertThat(response.path("output")).hasSize(1);
        JsonNode message = response.path("output").get(0);
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("id").asText()).isEqualTo("msg_req-1");
        assertThat(message.path("role").asText()).isEqualTo("assistant");
        assertThat(message.path("content").get(0).toString())
                .isEqualTo("{\"type\":\"output_text\",\"text\":\"您好！\",\"annotations\":[],\"logprobs\":[]}");
        assertThat(response.path("usage").toString()).isEqualTo("{\"input_tokens\":9,\"input_tokens_details\":{\"cached_tokens\":4,"
                + "\"cache_write_tokens\":0},\"output_tokens\":3,\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":12}");
    }

    @Test
    void tool_calls_are_function_call_items_keeping_the_upstreams_call_id() throws Exception {
        JsonNode chat = JSON.readTree("{\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
                + "\"tool_calls\":[{\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
                + "\"finish_reason\":\"tool_calls\"}]}");

        ObjectNode response = ResponseObjects.fromChat(chat, echo(), "r");

        assertThat(response.path("output")).hasSize(1);
        JsonNode call = response.path("output").get(0);
        assertThat(call.path("type").asText()).isEqualTo("function_call");
        assertThat(call.path("call_id").asText()).isEqualTo("call_a");
        assertThat(call.path("name").asText()).isEqualTo("weather");
        assertThat(call.path("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(call.path("id").asText()).isEqualTo("fc_r_0");
        assertThat(response.has("usage")).as("no usage reported, none invented (the spec allows no null)").isFalse();
    }

    @Test
    void an_answer_cut_by_the_token_limit_is_incomplete_for_max_output_tokens() throws Exception {
        JsonNode chat = JSON.readTree("{\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Once upon\"},"
                + "\"finish_reason\":\"length\"}]}");

        ObjectNode response = ResponseObjects.fromChat(chat, echo(), "r");

        assertThat(response.path("status").asText()).isEqualTo("incomplete");
        assertThat(response.path("incomplete_details").path("reason").asText()).isEqualTo("max_output_tokens");
        assertThat(response.path("completed_at").isNull()).isTrue();
    }
}
