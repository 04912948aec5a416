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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upstream bills a stream for what it generated even when the stream ends before its usage
 * chunk: such a stream is charged an estimate (the prompt's characters and the characters streamed),
 * and its log line says the usage is estimated. A stream whose usage arrived is charged that, once.
 */
class InterruptedStreamChargeTest {
    private static final String QUESTION = "请问退款多久到账？"; // 9 characters
    private static FakeUpstream upstream;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<Usage> charged = new CopyOnWriteArrayList<>();
    private final List<Cost> costs = new CopyOnWriteArrayList<>();
    private JingneiInstance instance;

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @BeforeEach
    void boot() {
        instance = Instances.boot(upstream, log);
        instance.completions().meterWith((ctx, usage, cost) -> {
            charged.add(usage);
            costs.add(cost);
        });
    }

    @AfterEach
    void close() {
        instance.close();
        upstream.reset();
    }

    private static ObjectNode body() {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("model", "deepseek-v3.2");
        body.putArray("messages").addObject().put("role", "user").put("content", QUESTION);
        return body;
    }

    private CollectingSubscriber<ObjectNode> stream(String requestId) throws Exception {
        Flow.Publisher<ObjectNode> chunks = instance.completions().stream(body(), new CallContext(requestId, "chat-stream", null), true)
                .get(10, TimeUnit.SECONDS);
        CollectingSubscriber<ObjectNode> subscriber = new CollectingSubscriber<>();
        chunks.subscribe(subscriber);
        return subscriber;
    }

    @Test
    void a_stream_reset_after_some_chunks_is_charged_an_estimate_and_its_log_line_says_so() throws Exception {
        upstream.enqueue(Reply.stream(10, "退款", "在商家", "确认收货后").resetAfter(3)); // the role chunk, 退款, 在商家

        CollectingSubscriber<ObjectNode> subscriber = stream("reset-1");

        assertThat(subscriber.await()).isNotNull();
        assertThat(charged).hasSize(1);
        assertThat(charged.get(0).promptTokens).isEqualTo(QUESTION.length());
        assertThat(charged.get(0).completionTokens).isEqualTo("退款在商家".length());
        assertThat(costs.get(0).usd).isPositive();
        JsonNode line = Instances.logLine(log, "reset-1");
        assertThat(line.path("usage_estimated").asBoolean()).isTrue();
        assertThat(line.path("completion_tokens").asLong()).isEqualTo(5);
        assertThat(line.path("cost_usd").decimalValue()).isPositive();
    }

    @Test
    void a_stream_its_client_cancelled_is_charged_an_estimate_for_what_was_streamed() throws Exception {
        // Silent after the role chunk, 退款 and 在商家 until the client has gone: nothing else can arrive before the cancel.
        upstream.enqueue(Reply.stream(0, "退款", "在商家", "确认收货后", "24小时内", "发起。").stallBefore(3, 20_000));

        CollectingSubscriber<ObjectNode> subscriber = stream("cancel-1");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (subscriber.items.size() < 3 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        subscriber.cancel();

        assertThat(charged).hasSize(1);
        assertThat(charged.get(0).promptTokens).isEqualTo(QUESTION.length());
        assertThat(charged.get(0).completionTokens).isEqualTo("退款在商家".length());
        JsonNode line = Instances.logLine(log, "cancel-1");
        assertThat(line.path("status").asText()).isEqualTo("cancelled");
        assertThat(line.path("usage_estimated").asBoolean()).isTrue();
    }

    @Test
    void a_stream_cancelled_before_its_first_chunk_is_charged_its_prompt_and_its_log_line_has_the_attempt() throws Exception {
        CountDownLatch thinking = new CountDownLatch(1); // never released: the upstream has the prompt and is working on it
        upstream.enqueue(Reply.stream(10, "退款", "在商家").heldUntil(thinking));

        CollectingSubscriber<ObjectNode> subscriber = stream("early-cancel-1");
        upstream.awaitCompletionRequests(1);
        subscriber.cancel();

        upstream.awaitClientDisconnects(1); // the exchange was aborted, not left running to its end
        assertThat(subscriber.items).isEmpty();
        assertThat(charged).hasSize(1);
        assertThat(charged.get(0).promptTokens).isEqualTo(QUESTION.length());
        assertThat(charged.get(0).completionTokens).isZero();
        assertThat(costs.get(0).usd).isPositive();
        JsonNode line = Instances.logLine(log, "early-cancel-1");
        assertThat(line.path("status").asText()).isEqualTo("cancelled");
        assertThat(line.path("usage_estimated").asBoolean()).isTrue();
        assertThat(line.path("attempts")).hasSize(1);
        assertThat(line.path("attempts").get(0).path("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void a_whole_answer_without_usage_is_charged_an_estimate_not_nothing() throws Exception {
        upstream.enqueue(Reply.json(200, "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":1764201600,"
                + "\"model\":\"deepseek-v3.2\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                + "\"退款在商家确认收货后\"},\"finish_reason\":\"stop\"}]}"));
        instance.completions().complete(body(), new CallContext("nousage-1", "chat", null)).get(10, TimeUnit.SECONDS);

        assertThat(charged).hasSize(1);
        assertThat(charged.get(0).promptTokens).isEqualTo(QUESTION.length());
        assertThat(charged.get(0).completionTokens).isEqualTo("退款在商家确认收货后".length());
        assertThat(costs.get(0).usd).isPositive();
        JsonNode line = Instances.logLine(log, "nousage-1");
        assertThat(line.path("usage_estimated").asBoolean()).isTrue();
        assertThat(line.path("cost_usd").decimalValue()).isPositive();
    }

    @Test
    void a_stream_whose_usage_arrived_is_charged_that_usage_once_and_not_an_estimate() throws Exception {
        upstream.enqueue(Reply.stream(0, "退款", "在商家"));

        CollectingSubscriber<ObjectNode> subscriber = stream("whole-1");

        assertThat(subscriber.await()).isNull();
        assertThat(charged).hasSize(1);
        assertThat(charged.get(0).promptTokens).isEqualTo(20);
        assertThat(charged.get(0).completionTokens).isEqualTo(2);
        assertThat(Instances.logLine(log, "whole-1").has("usage_estimated")).isFalse();
    }

    @Test
    void a_stream_that_failed_before_its_first_chunk_is_not_charged() throws Exception {
        upstream.fallback(Reply.error(400, "invalid_request_error", null, "content rejected"));

        CollectingSubscriber<ObjectNode> subscriber = stream("refused-1");

        assertThat(subscriber.await()).isNotNull();
        assertThat(charged).isEmpty();
        assertThat(Instances.logLine(log, "refused-1").has("usage_estimated")).isFalse();
    }
}
