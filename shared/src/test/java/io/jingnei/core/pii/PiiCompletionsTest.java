package io.jingnei.core.pii;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.chat.ChatRequest;
import io.jingnei.core.chat.ChatResult;
import io.jingnei.core.config.Env;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.testing.CollectingSubscriber;
import io.jingnei.core.testing.FakeTime;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Masking in the LLM path with prompt logging on, and block mode, against the fake upstream. */
class PiiCompletionsTest {
    private static final String PHONE = "13812345678";
    private static final String ID = "11010519491231002X";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeUpstream upstream;

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    private static JingneiInstance boot(List<String> log, String... settings) {
        java.util.Map<String, String> env = new java.util.HashMap<>(Map.of("JINGNEI_LLM_BASE_URL", upstream.baseUrl(),
                "JINGNEI_LLM_API_KEY", FakeUpstream.KEY, "JINGNEI_RAG_ENABLED", "false", "JINGNEI_CACHE", "off"));
        for (int i = 0; i < settings.length; i += 2) {
            env.put(settings[i], settings[i + 1]);
        }
        return JingneiInstance.boot(Env.of(env), new FakeTime(), new CallLog(log::add), Optional::empty);
    }

    @Test
    void with_prompt_logging_on_the_log_holds_the_masked_prompt_and_counts_never_the_values() throws Exception {
        upstream.reset();
        upstream.enqueue(Reply.echo(0));
        List<String> log = new CopyOnWriteArrayList<>();
        try (JingneiInstance instance = boot(log, "JINGNEI_LOG_PROMPTS", "true")) {
            ChatResult result = instance.chat().chat(ChatRequest.ofQuery("手机" + PHONE + "，身份证" + ID),
                    new CallContext("r1", "chat", null)).get(10, TimeUnit.SECONDS);

            assertThat(result.content).contains(PHONE).contains(ID);
        }
        String line = log.stream().filter(l -> l.contains("\"function\":\"chat\"")).findFirst().orElseThrow();
        assertThat(line).doesNotContain(PHONE).doesNotContain(ID).contains("[手机号1]").contains("[身份证1]");
        assertThat(new ObjectMapper().readTree(line).path("pii").path("phone").asInt()).isEqualTo(1);
    }

    @Test
    void block_mode_refuses_personal_information_naming_the_kinds_and_never_the_values() throws Exception {
        upstream.reset();
        List<String> log = new CopyOnWriteArrayList<>();
        try (JingneiInstance instance = boot(log, "JINGNEI_PII", "block")) {
            ChatResult refused = instance.chat().chat(ChatRequest.ofQuery("我的手机" + PHONE), new CallContext("r2", "chat", null))
                    .get(10, TimeUnit.SECONDS);
            ChatResult fine = instance.chat().chat(ChatRequest.ofQuery("订单DY20261111001什么时候发货"), new CallContext("r3", "chat", null))
                    .get(10, TimeUnit.SECONDS);

            assertThat(refused.httpStatus).isEqualTo(400);
            assertThat(refused.status).isEqualTo("pii_detected");
            assertThat(refused.error).contains("phone").doesNotContain(PHONE);
            assertThat(fine.status).isEqualTo("success");
        }
        assertThat(upstream.completionRequests()).hasSize(1);
        assertThat(String.join("\n", log)).doesNotContain(PHONE);
    }

    @Test
    void off_mode_sends_text_as_it_is() throws Exception {
        upstream.reset();
        upstream.enqueue(Reply.echo(0));
        try (JingneiInstance instance = boot(new CopyOnWriteArrayList<>(), "JINGNEI_PII", "off")) {
            instance.chat().chat(ChatRequest.ofQuery("手机" + PHONE), new CallContext("r4", "chat", null)).get(10, TimeUnit.SECONDS);
        }
        assertThat(upstream.completionRequests().get(0).body).contains(PHONE);
    }

    @Test
    void streamed_tool_call_arguments_get_the_values_back_even_when_a_placeholder_is_cut_across_chunks() throws Exception {
        upstream.reset();
        upstream.enqueue(Reply.sse(List.of(
                toolChunk("{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"find_orders\",\"arguments\":\"\"}}]}", null),
                toolChunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"phone\\\":\\\"[手机\"}}]}", null),
                toolChunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"号1]\\\"}\"}}]}", null),
                toolChunk("{\"tool_calls\":[{\"index\":1,\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"verify\","
                        + "\"arguments\":\"{\\\"id\\\":\\\"[身份证1]\\\"}\"}}]}", null),
                toolChunk("{}", "tool_calls"),
                "[DONE]"), 0, -1));
        ObjectNode body = JSON.createObjectNode().put("model", "deepseek-v3.2");
        body.putArray("messages").addObject().put("role", "user").put("content", "查一下手机" + PHONE + "的订单，身份证" + ID);
        body.putArray("tools").addObject().put("type", "function").putObject("function").put("name", "find_orders");
        Map<Integer, StringBuilder> arguments = new java.util.TreeMap<>();

        try (JingneiInstance instance = boot(new CopyOnWriteArrayList<>())) {
            CollectingSubscriber<ObjectNode> subscriber = new CollectingSubscriber<>();
            instance.completions().stream(body, new CallContext("r5", "chat-completions", null), false).get(10, TimeUnit.SECONDS)
                    .subscribe(subscriber);
            assertThat(subscriber.await()).isNull();
            for (ObjectNode chunk : subscriber.items) {
                for (JsonNode call : chunk.path("choices").path(0).path("delta").path("tool_calls")) {
                    arguments.computeIfAbsent(call.path("index").asInt(), i -> new StringBuilder())
                            .append(call.path("function").path("arguments").asText(""));
                }
            }
        }

        String sent = upstream.completionRequests().get(0).body;
        assertThat(sent).doesNotContain(PHONE).doesNotContain(ID);
        assertThat(JSON.readTree(arguments.get(0).toString()).path("phone").asText()).isEqualTo(PHONE);
        assertThat(JSON.readTree(arguments.get(1).toString()).path("id").asText()).isEqualTo(ID);
    }

    private static String toolChunk(String delta, String finishReason) {
        return "{\"id\":\"chatcmpl-t\",\"object\":\"chat.completion.chunk\",\"created\":1764201600,\"model\":\"deepseek-v3.2\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}";
    }
}
