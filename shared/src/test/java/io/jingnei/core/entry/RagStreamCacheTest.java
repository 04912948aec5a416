package io.jingnei.core.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.llm.ChatMessage;
import io.jingnei.core.rag.RagRequest;
import io.jingnei.core.rag.RagResult;
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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /rag-stream} and the answer cache: it reads and keeps answers under rag-query's key, so
 * either serves the other; a hit is replayed as the same events (sources, chunks, a final event
 * marked cached, at no cost); only a stream that ended well is kept, and never one with history.
 */
class RagStreamCacheTest {
    private static final Caller CALLER = Caller.user(Caller.Via.CLIENT_KEY, "shop-a");
    private static FakeUpstream upstream;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private JingneiInstance instance;
    private FunctionCalls calls;

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @BeforeEach
    void boot() throws Exception {
        boot("JINGNEI_CACHE", "exact");
    }

    /** A RAG-ready instance with these settings, the upstream's script cleared. */
    private void boot(String... settings) throws Exception {
        instance = Instances.bootWithRag(upstream, log, settings);
        instance.rag().get(60, TimeUnit.SECONDS);
        calls = new FunctionCalls(instance);
        upstream.reset();
    }

    /** Another instance, with other settings, for one test. */
    private void reboot(String... settings) throws Exception {
        instance.close();
        boot(settings);
    }

    @AfterEach
    void close() {
        instance.close();
        upstream.reset();
    }

    private RagResult query(RagRequest request, String requestId) throws Exception {
        return (RagResult) calls.ragQuery(CALLER, request, requestId).get(20, TimeUnit.SECONDS).body;
    }

    private CollectingSubscriber<ObjectNode> stream(RagRequest request, String requestId) throws Exception {
        CollectingSubscriber<ObjectNode> subscriber = new CollectingSubscriber<>();
        calls.ragStream(CALLER, request, requestId).get(20, TimeUnit.SECONDS).subscribe(subscriber);
        return subscriber;
    }

    private static String answer(List<ObjectNode> events) {
        StringBuilder text = new StringBuilder();
        for (ObjectNode event : events.subList(1, events.size() - 1)) {
            text.append(event.path("choices").path(0).path("delta").path("content").asText(""));
        }
        return text.toString();
    }

    private static JsonNode last(List<ObjectNode> events) {
        return events.get(events.size() - 1);
    }

    @Test
    void a_rag_query_answer_is_replayed_by_rag_stream_as_sources_chunks_and_a_cached_final_event() throws Exception {
        upstream.enqueue(Reply.completion("退款在商家确认收货后24小时内发起。", 300, 20));
        RagRequest question = RagRequest.ofQuery("退货要多久能到账？");
        RagResult asked = query(question, "q-1");

        CollectingSubscriber<ObjectNode> replay = stream(question, "s-1");

        assertThat(replay.await()).isNull();
        List<ObjectNode> events = replay.items;
        assertThat(events.get(0).path("sources")).hasSize(asked.sources.size());
        assertThat(events.get(0).path("sources").get(0).path("id").asText()).isEqualTo(asked.sources.get(0).id);
        assertThat(events.get(0).path("request_id").asText()).isEqualTo("s-1");
        assertThat(events.subList(1, events.size() - 1)).allSatisfy(chunk ->
                assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk"));
        assertThat(answer(events)).isEqualTo("退款在商家确认收货后24小时内发起。");
        JsonNode done = last(events);
        assertThat(done.path("status").asText()).isEqualTo("success");
        assertThat(done.path("mode").asText()).isEqualTo("generated");
        assertThat(done.path("cached").asBoolean()).isTrue();
        assertThat(done.path("usage").path("total_tokens").asLong()).isZero();
        assertThat(done.path("cost").path("usd").decimalValue()).isZero();
        assertThat(done.path("request_id").asText()).isEqualTo("s-1");
        assertThat(upstream.completionRequests()).as("only rag-query asked the LLM").hasSize(1);
        assertThat(Instances.logLine(log, "s-1").path("cache").asText()).isEqualTo("exact");
    }

    @Test
    void a_streamed_answer_the_model_declines_is_the_no_context_answer_never_the_marker_and_is_not_cached() throws Exception {
        upstream.enqueue(Reply.stream(0, "[NO_", "ANSWER", "]。"));
        RagRequest question = RagRequest.ofQuery("退货要多久能到账？");

        CollectingSubscriber<ObjectNode> declined = stream(question, "s-20");

        assertThat(declined.await()).isNull();
        assertThat(answer(declined.items)).isEqualTo(io.jingnei.core.rag.RagResult.NO_CONTEXT_ANSWER);
        assertThat(declined.items.toString()).doesNotContain("NO_ANSWER").doesNotContain("[NO_");
        assertThat(last(declined.items).path("status").asText()).isEqualTo("no_context");
        assertThat(last(declined.items).path("cost").path("usd").decimalValue()).as("the upstream billed it").isPositive();
        assertThat(upstream.completionRequests().get(0).json().toString()).as("the prompt offers the marker").contains("[NO_ANSWER]");
        assertThat(log).anySatisfy(line -> assertThat(line).contains("\"request_id\":\"s-20\"", "\"status\":\"no_context\"",
                "\"declined_by\":\"llm\""));

        upstream.enqueue(Reply.stream(0, "[1] 退款", "在商家确认收货后发起。"));
        CollectingSubscriber<ObjectNode> answered = stream(question, "s-21");
        assertThat(answered.await()).isNull();
        assertThat(answer(answered.items)).as("not cached: asked again; an answer starting with [ is not held").isEqualTo("[1] 退款在商家确认收货后发起。");
        assertThat(last(answered.items).path("status").asText()).isEqualTo("success");
        assertThat(upstream.completionRequests()).hasSize(2);
    }

    @Test
    void a_streamed_answer_is_kept_and_serves_the_next_rag_query_and_rag_stream() throws Exception {
        upstream.enqueue(Reply.stream(0, "发票", "在订单页", "申请。"));
        RagRequest question = RagRequest.ofQuery("发票怎么开？");
        CollectingSubscriber<ObjectNode> first = stream(question, "s-2");
        assertThat(first.await()).isNull();
        assertThat(last(first.items).has("cached")).isFalse();

        RagResult asked = query(question, "q-2");
        CollectingSubscriber<ObjectNode> again = stream(question, "s-3");

        assertThat(asked.cached).isTrue();
        assertThat(asked.answer).isEqualTo("发票在订单页申请。");
        assertThat(asked.sources.get(0).id).isEqualTo(first.items.get(0).path("sources").get(0).path("id").asText());
        assertThat(again.await()).isNull();
        assertThat(answer(again.items)).isEqualTo("发票在订单页申请。");
        assertThat(last(again.items).path("cached").asBoolean()).isTrue();
        assertThat(upstream.completionRequests()).hasSize(1);
    }

    @Test
    void a_stream_that_failed_midway_is_not_kept() throws Exception {
        upstream.enqueue(Reply.stream(10, "运费", "由", "商家").resetAfter(3));
        RagRequest question = RagRequest.ofQuery("运费谁出？");
        assertThat(stream(question, "s-4").await()).isNotNull();

        upstream.enqueue(Reply.completion("运费由商家承担。", 300, 8));
        RagResult asked = query(question, "q-4");

        assertThat(asked.cached).isNull();
        assertThat(asked.answer).isEqualTo("运费由商家承担。");
        assertThat(upstream.completionRequests()).hasSize(2);
    }

    @Test
    void a_stream_its_client_cancelled_is_not_kept() throws Exception {
        upstream.enqueue(Reply.stream(150, "积分", "可以", "抵扣", "现金。"));
        RagRequest question = RagRequest.ofQuery("积分有什么用？");
        CollectingSubscriber<ObjectNode> cut = stream(question, "s-5");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (cut.items.size() < 3 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        cut.cancel();

        upstream.enqueue(Reply.completion("积分可以抵扣现金。", 300, 8));
        RagResult asked = query(question, "q-5");

        assertThat(asked.cached).isNull();
        assertThat(upstream.completionRequests()).hasSize(2);
    }

    @Test
    void with_history_rag_stream_neither_serves_nor_keeps_a_cached_answer() throws Exception {
        List<ChatMessage> history = List.of(new ChatMessage("user", "我买了一件衣服"), new ChatMessage("assistant", "好的，请问有什么可以帮您？"));
        RagRequest fresh = RagRequest.ofQuery("可以换货吗？");
        RagRequest inConversation = new RagRequest("可以换货吗？", null, null, null, null, null, history);
        upstream.enqueue(Reply.completion("支持七天内换货。", 300, 8), Reply.stream(0, "这件", "可以换。"));
        query(fresh, "q-6");

        CollectingSubscriber<ObjectNode> withHistory = stream(inConversation, "s-6");

        assertThat(withHistory.await()).isNull();
        assertThat(answer(withHistory.items)).isEqualTo("这件可以换。");
        assertThat(last(withHistory.items).has("cached")).isFalse();
        assertThat(query(fresh, "q-7").answer).as("the conversation's answer did not replace the cached one").isEqualTo("支持七天内换货。");
        assertThat(upstream.completionRequests()).hasSize(2);
    }

    @Test
    void in_semantic_mode_a_similar_question_answered_by_rag_query_is_replayed_once_embedded() throws Exception {
        reboot("JINGNEI_CACHE", "semantic", "JINGNEI_CACHE_SIMILARITY", "0.95");
        upstream.enqueue(Reply.completion("退款在商家确认收货后24小时内发起。", 300, 20));
        query(RagRequest.ofQuery("退货要多久能到账？"), "q-8");

        CollectingSubscriber<ObjectNode> similar = stream(RagRequest.ofQuery("退货要多久能到账呢？"), "s-8");

        assertThat(similar.await()).isNull();
        assertThat(answer(similar.items)).isEqualTo("退款在商家确认收货后24小时内发起。");
        assertThat(last(similar.items).path("cached").asBoolean()).isTrue();
        assertThat(Instances.logLine(log, "s-8").path("cache").asText()).isEqualTo("semantic");
        assertThat(upstream.completionRequests()).hasSize(1);
    }

    @Test
    void in_semantic_mode_a_customer_asking_alike_with_another_number_gets_an_answer_of_their_own() throws Exception {
        reboot("JINGNEI_CACHE", "semantic", "JINGNEI_CACHE_SIMILARITY", "0.95");
        upstream.enqueue(Reply.completion("请确认[手机号1]能接收短信，或稍后重试。", 300, 20));
        upstream.enqueue(Reply.stream(0, "请确认[手机号1]", "能接收短信。"));
        query(RagRequest.ofQuery("我的手机13812345678收不到验证码，怎么办？"), "q-10");

        CollectingSubscriber<ObjectNode> other = stream(RagRequest.ofQuery("我的手机13987654321收不到验证码，怎么办呢？"), "s-10");

        assertThat(other.await()).isNull();
        assertThat(answer(other.items)).isEqualTo("请确认13987654321能接收短信。");
        assertThat(Instances.logLine(log, "s-10").has("cache")).isFalse();
        assertThat(upstream.completionRequests()).hasSize(2);
    }

    @Test
    void in_block_mode_a_question_with_personal_information_is_refused_before_the_cache_and_logged() throws Exception {
        reboot("JINGNEI_CACHE", "exact", "JINGNEI_PII", "block");

        java.util.concurrent.CompletableFuture<java.util.concurrent.Flow.Publisher<ObjectNode>> refused =
                calls.ragStream(CALLER, RagRequest.ofQuery("我的手机13812345678收不到验证码"), "s-9");

        assertThat(refused).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(io.jingnei.core.error.JingneiException.class);
        JsonNode line = Instances.logLine(log, "s-9");
        assertThat(line.path("status").asText()).isEqualTo("pii_detected");
        assertThat(line.toString()).doesNotContain("13812345678");
        assertThat(upstream.completionRequests()).isEmpty();
    }
}
