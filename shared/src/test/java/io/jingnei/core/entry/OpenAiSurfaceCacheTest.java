package io.jingnei.core.entry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.config.Env;
import io.jingnei.core.call.CallContext;
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
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /v1/chat/completions} with JINGNEI_CACHE_V1: streamed hits and streamed misses. */
class OpenAiSurfaceCacheTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Caller CALLER = Caller.user(Caller.Via.CLIENT_KEY, "shop-a");
    private static FakeUpstream upstream;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private JingneiInstance instance;
    private OpenAiSurface surface;

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
        instance = Instances.boot(upstream, log, "JINGNEI_CACHE", "exact", "JINGNEI_CACHE_V1", "true");
        surface = new OpenAiSurface(instance, Env.of(Map.of()));
    }

    @AfterEach
    void close() {
        instance.close();
        upstream.reset();
    }

    private static ObjectNode body(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    private static String question(String text, String extra) {
        return "{\"model\":\"deepseek-v3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]" + extra + "}";
    }

    private ObjectNode complete(String json, String requestId) throws Exception {
        ObjectNode body = body(json);
        CallContext ctx = surface.prepare(CALLER, body, requestId);
        return surface.complete(body, ctx).get(10, TimeUnit.SECONDS);
    }

    private CollectingSubscriber<ObjectNode> stream(String json, String requestId) throws Exception {
        ObjectNode body = body(json);
        CallContext ctx = surface.prepare(CALLER, body, requestId);
        CollectingSubscriber<ObjectNode> subscriber = new CollectingSubscriber<>();
        surface.stream(body, ctx).get(10, TimeUnit.SECONDS).subscribe(subscriber);
        return subscriber;
    }

    private static String text(List<ObjectNode> chunks) {
        StringBuilder text = new StringBuilder();
        chunks.forEach(chunk -> text.append(chunk.path("choices").path(0).path("delta").path("content").asText("")));
        return text.toString();
    }

    @Test
    void a_streamed_hit_sends_a_usage_chunk_only_when_the_caller_asked_for_one() throws Exception {
        upstream.enqueue(Reply.completion("您好，有什么可以帮您？", 10, 8));
        complete(question("你好", ""), "c-1");

        CollectingSubscriber<ObjectNode> plain = stream(question("你好", ",\"stream\":true"), "s-1");
        CollectingSubscriber<ObjectNode> withUsage = stream(question("你好",
                ",\"stream\":true,\"stream_options\":{\"include_usage\":true}"), "s-2");

        assertThat(plain.await()).isNull();
        assertThat(text(plain.items)).isEqualTo("您好，有什么可以帮您？");
        assertThat(plain.items).noneMatch(chunk -> chunk.has("usage"));
        assertThat(withUsage.await()).isNull();
        ObjectNode usage = withUsage.items.get(withUsage.items.size() - 1);
        assertThat(usage.path("choices")).isEmpty();
        assertThat(usage.path("usage").path("total_tokens").asInt()).isZero();
        assertThat(upstream.completionRequests()).hasSize(1);
        assertThat(Instances.logLine(log, "s-1").path("cache").asText()).as("a streamed hit is logged like any call").isEqualTo("exact");
    }

    @Test
    void a_streamed_answer_is_kept_and_serves_the_next_call_streamed_or_not() throws Exception {
        upstream.enqueue(Reply.stream(0, "七天", "无理由", "退货。"));
        CollectingSubscriber<ObjectNode> first = stream(question("能退货吗", ",\"stream\":true"), "s-3");
        assertThat(first.await()).isNull();

        ObjectNode whole = complete(question("能退货吗", ""), "c-3");
        CollectingSubscriber<ObjectNode> again = stream(question("能退货吗", ",\"stream\":true"), "s-4");

        assertThat(whole.path("choices").path(0).path("message").path("content").asText()).isEqualTo("七天无理由退货。");
        assertThat(whole.path("usage").path("total_tokens").asInt()).isZero();
        // The spec's required fields, as a fresh answer has them (issue 22): refusal and logprobs are required, nullable.
        assertThat(whole.path("id").asText()).isEqualTo("chatcmpl-c-3");
        assertThat(whole.path("system_fingerprint").asText()).isNotBlank();
        assertThat(whole.path("choices").path(0).has("logprobs")).isTrue();
        assertThat(whole.path("choices").path(0).path("logprobs").isNull()).isTrue();
        assertThat(whole.path("choices").path(0).path("message").path("refusal").isNull()).isTrue();
        assertThat(whole.path("choices").path(0).path("message").has("refusal")).isTrue();
        assertThat(again.await()).isNull();
        assertThat(text(again.items)).isEqualTo("七天无理由退货。");
        assertThat(upstream.completionRequests()).hasSize(1);
    }

    @Test
    void a_stream_cut_midway_is_not_kept() throws Exception {
        upstream.enqueue(Reply.stream(10, "七天", "无理由", "退货。").resetAfter(3));
        assertThat(stream(question("怎么退货", ",\"stream\":true"), "s-5").await()).isNotNull();

        complete(question("怎么退货", ""), "c-5");

        assertThat(upstream.completionRequests()).hasSize(2);
    }
}
