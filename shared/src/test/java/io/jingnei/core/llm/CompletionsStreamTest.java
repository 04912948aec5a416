package io.jingnei.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.pricing.Cost;
import io.jingnei.core.pricing.Usage;
import io.jingnei.core.testing.CollectingSubscriber;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Instances;
import io.jingnei.core.testing.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A stream's accounting through {@link Completions}: which model it is priced, logged and charged as. */
class CompletionsStreamTest {
    private static FakeUpstream claude;
    private static FakeUpstream deepseek;

    @BeforeAll
    static void start() {
        claude = FakeUpstream.start();
        deepseek = FakeUpstream.start();
    }

    @AfterAll
    static void stop() {
        claude.close();
        deepseek.close();
    }

    @AfterEach
    void clear() {
        claude.reset();
        deepseek.reset();
    }

    /** One charge as {@link io.jingnei.core.call.Metering} saw it. */
    static final class Charge {
        final Usage usage;
        final Cost cost;

        Charge(Usage usage, Cost cost) {
            this.usage = usage;
            this.cost = cost;
        }
    }

    private static String upstream(String name, FakeUpstream fake, String model) {
        return "{\"name\":\"" + name + "\",\"base_url\":\"" + fake.baseUrl() + "\",\"api_keys\":[\"" + FakeUpstream.KEY
                + "\"],\"models\":[\"" + model + "\"],\"max_retries\":0}";
    }

    private static ObjectNode body(String model) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("model", model);
        body.putArray("messages").addObject().put("role", "user").put("content", "你好");
        return body;
    }

    private static String chunkWithoutModel(String delta, String finishReason) {
        return "{\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":1764201600,\"choices\":[{\"index\":0,\"delta\":"
                + delta + ",\"finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}";
    }

    @Test
    void a_stream_answered_by_a_fallback_model_is_priced_logged_charged_and_labelled_as_that_model() throws Exception {
        claude.fallback(Reply.error(503, "server_error", null, "claude is down"));
        deepseek.enqueue(Reply.sse(List.of(
                chunkWithoutModel("{\"role\":\"assistant\",\"content\":\"\"}", null),
                chunkWithoutModel("{\"content\":\"您好\"}", null),
                chunkWithoutModel("{}", "stop"),
                "{\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":1764201600,\"choices\":[],"
                        + "\"usage\":{\"prompt_tokens\":1000000,\"completion_tokens\":1000000,\"total_tokens\":2000000}}",
                "[DONE]"), 0, -1));
        List<String> log = new CopyOnWriteArrayList<>();
        List<Charge> charges = new CopyOnWriteArrayList<>();
        try (JingneiInstance instance = Instances.boot(claude, log,
                "JINGNEI_UPSTREAMS", "[" + upstream("anthropic-proxy", claude, "claude-sonnet-4.5") + ","
                        + upstream("deepseek", deepseek, "deepseek-v3.2") + "]",
                "JINGNEI_FALLBACK", "claude-sonnet-4.5>deepseek-v3.2")) {
            instance.completions().meterWith((ctx, usage, cost) -> charges.add(new Charge(usage, cost)));

            Flow.Publisher<ObjectNode> stream = instance.completions().stream(body("claude-sonnet-4.5"),
                    new CallContext("fallback-1", "chat-stream", null), true).get(10, TimeUnit.SECONDS);
            CollectingSubscriber<ObjectNode> subscriber = new CollectingSubscriber<>();
            stream.subscribe(subscriber);

            assertThat(subscriber.await()).isNull();
            assertThat(subscriber.items).isNotEmpty().allSatisfy(chunk -> assertThat(chunk.path("model").asText()).isEqualTo("deepseek-v3.2"));
        }
        // deepseek-v3.2 costs 0.14 + 0.42 USD for a million tokens each way; claude-sonnet-4.5 would be 3 + 15.
        JsonNode line = Instances.logLine(log, "fallback-1");
        assertThat(line.path("model").asText()).isEqualTo("deepseek-v3.2");
        assertThat(line.path("cost_usd").decimalValue()).isEqualByComparingTo("0.56");
        assertThat(charges).hasSize(1);
        assertThat(charges.get(0).cost.usd).isEqualByComparingTo("0.56");
    }
}
