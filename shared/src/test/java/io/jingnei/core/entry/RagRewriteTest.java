package io.jingnei.core.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.llm.ChatMessage;
import io.jingnei.core.rag.RagRequest;
import io.jingnei.core.rag.RagResult;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.testing.CollectingSubscriber;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Instances;
import io.jingnei.core.testing.RecordedRequest;
import io.jingnei.core.testing.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code JINGNEI_RAG_REWRITE=llm} against a fake upstream: a follow-up is searched as the LLM's
 * standalone question; an upstream that fails, hangs past the timeout or answers something that is
 * no question leaves the request answered exactly as with the rewrite off; personal data in the
 * conversation is masked in the rewrite request; its tokens are charged to the caller and logged.
 */
class RagRewriteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Caller CALLER = Caller.user(Caller.Via.CLIENT_KEY, "shop-a");
    private static final String REWRITE = "换货要多久能收到新的商品？";
    private static final RagRequest FOLLOW_UP = followUp("退货的钱多久能到账？", "那换货呢？");
    private static FakeUpstream upstream;
    /** With the rewrite off: what the fallback must equal (sources, and the answer request the upstream got). */
    private static List<String> offSources;
    private static JsonNode offAnswerRequest;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private JingneiInstance instance;
    private FunctionCalls calls;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start();
        List<String> offLog = new CopyOnWriteArrayList<>();
        JingneiInstance off = Instances.bootWithRag(upstream, offLog, "JINGNEI_LLM_MAX_RETRIES", "0");
        try {
            off.rag().get(60, TimeUnit.SECONDS);
            upstream.reset();
            upstream.enqueue(Reply.completion("换货一般3到5天。", 300, 20));
            RagResult result = (RagResult) new FunctionCalls(off).ragQuery(CALLER, FOLLOW_UP, "off-1").get(20, TimeUnit.SECONDS).body;
            offSources = ids(result);
            assertThat(upstream.completionRequests()).hasSize(1);
            offAnswerRequest = upstream.completionRequests().get(0).json();
            assertThat(offLog).noneMatch(line -> line.contains("rewrite"));
        } finally {
            off.close();
            upstream.reset();
        }
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @BeforeEach
    void boot() throws Exception {
        instance = Instances.bootWithRag(upstream, log, "JINGNEI_RAG_REWRITE", "llm", "JINGNEI_RAG_REWRITE_TIMEOUT", "300ms",
                "JINGNEI_LLM_MAX_RETRIES", "0");
        instance.rag().get(60, TimeUnit.SECONDS);
        calls = new FunctionCalls(instance);
        upstream.reset();
    }

    @AfterEach
    void close() {
        instance.close();
        upstream.reset();
    }

    private static RagRequest followUp(String earlier, String question) {
        return new RagRequest(question, null, null, null, null, null,
                List.of(new ChatMessage("user", earlier), new ChatMessage("assistant", "商家确认收到退货后24小时内发起退款。")));
    }

    private RagResult query(RagRequest request, String requestId) throws Exception {
        return (RagResult) calls.ragQuery(CALLER, request, requestId).get(20, TimeUnit.SECONDS).body;
    }

    private static List<String> ids(RagResult result) {
        List<String> ids = new ArrayList<>();
        result.sources.forEach(s -> ids.add(s.id + "#" + s.chunk));
        return ids;
    }

    /** Every log line of one request whose function is {@code function}. */
    private JsonNode line(String requestId, String function) throws Exception {
        for (String line : log) {
            JsonNode node = JSON.readTree(line);
            if (requestId.equals(node.path("request_id").asText()) && function.equals(node.path("function").asText())) {
                return node;
            }
        }
        throw new AssertionError("no " + function + " line for " + requestId + " in " + log);
    }

    /** The texts the fake upstream was asked to embed for this request's search (after the index was built). */
    private static List<String> embedded() {
        List<String> texts = new ArrayList<>();
        for (RecordedRequest r : upstream.requests()) {
            if (r.path.endsWith("/embeddings")) {
                r.json().path("input").forEach(t -> texts.add(t.asText()));
            }
        }
        return texts;
    }

    @Test
    void a_follow_up_is_searched_as_the_llms_standalone_question() throws Exception {
        upstream.enqueue(Reply.completion(REWRITE, 90, 12), Reply.completion("换货一般3到5天。", 300, 20));

        RagResult result = query(FOLLOW_UP, "rw-1");

        assertThat(result.status).isEqualTo("success");
        assertThat(result.answer).isEqualTo("换货一般3到5天。");
        assertThat(embedded()).as("the rewrite alone is searched").containsExactly(REWRITE);
        List<RecordedRequest> sent = upstream.completionRequests();
        assertThat(sent).hasSize(2);
        JsonNode rewrite = sent.get(0).json();
        assertThat(rewrite.path("messages").get(0).path("content").asText()).contains("改写");
        assertThat(rewrite.path("messages").get(1).path("content").asText()).contains("退货的钱多久能到账？").endsWith("用户最后的问题：那换货呢？");
        assertThat(rewrite.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(rewrite.path("temperature").asDouble()).isZero();
        assertThat(rewrite.path("user").asText()).as("accounted to the caller").isEqualTo("shop-a");
        String answerPrompt = sent.get(1).json().path("messages").toString();
        assertThat(answerPrompt).as("the answer is asked the customer's own question").contains("用户问题：那换货呢？").doesNotContain(REWRITE);
        JsonNode answerLine = line("rw-1", "rag-query");
        assertThat(answerLine.path("rewrite").asText()).isEqualTo("used");
        assertThat(answerLine.path("rewrite_tokens").asLong()).isEqualTo(102);
        assertThat(answerLine.has("rewrite_ms")).isTrue();
        JsonNode rewriteLine = line("rw-1", "rag-rewrite");
        assertThat(rewriteLine.path("status").asText()).isEqualTo("success");
        assertThat(rewriteLine.path("total_tokens").asLong()).isEqualTo(102);
        assertThat(String.join("\n", log)).as("the rewritten question is not logged").doesNotContain(REWRITE);
    }

    @Test
    void a_rewritten_follow_up_is_judged_as_its_rewrite_asked_alone() throws Exception {
        upstream.enqueue(Reply.completion(REWRITE, 90, 12));
        io.jingnei.core.rag.RagService rag = instance.rag().get(20, TimeUnit.SECONDS);

        io.jingnei.core.rag.Retrieval rewritten = rag.retrieve(FOLLOW_UP, new io.jingnei.core.call.CallContext(null, "rag-query", CALLER))
                .get(20, TimeUnit.SECONDS);
        io.jingnei.core.rag.Retrieval alone = rag.retrieve(new RagRequest(REWRITE, null, null, null, null, null, null),
                new io.jingnei.core.call.CallContext(null, "rag-query", CALLER)).get(20, TimeUnit.SECONDS);

        // the rejection rule's coverage reads the question that was searched, not the customer's "那换货呢？"
        assertThat(rewritten.confidence).isEqualTo(alone.confidence);
        assertThat(rewritten.sources.stream().map(s -> s.id).collect(java.util.stream.Collectors.toList()))
                .isEqualTo(alone.sources.stream().map(s -> s.id).collect(java.util.stream.Collectors.toList()));
    }

    @Test
    void rag_stream_searches_the_rewrite_too_and_logs_it_on_the_streams_line() throws Exception {
        upstream.enqueue(Reply.completion(REWRITE, 90, 12), Reply.stream(0, "换货", "一般3到5天。"));
        CollectingSubscriber<ObjectNode> events = new CollectingSubscriber<>();

        calls.ragStream(CALLER, FOLLOW_UP, "rw-s").get(20, TimeUnit.SECONDS).subscribe(events);

        assertThat(events.await()).isNull();
        assertThat(events.items.get(events.items.size() - 1).path("status").asText()).isEqualTo("success");
        assertThat(embedded()).containsExactly(REWRITE);
        JsonNode streamLine = awaitLine("rw-s", "rag-stream");
        assertThat(streamLine.path("rewrite").asText()).isEqualTo("used");
        assertThat(streamLine.path("rewrite_tokens").asLong()).isEqualTo(102);
    }

    @Test
    void a_single_question_is_not_rewritten() throws Exception {
        upstream.enqueue(Reply.completion("七天无理由退货。", 300, 20));

        RagResult result = query(RagRequest.ofQuery("退货政策是什么？"), "rw-2");

        assertThat(result.status).isEqualTo("success");
        assertThat(upstream.completionRequests()).hasSize(1);
        assertThat(line("rw-2", "rag-query").has("rewrite")).isFalse();
    }

    @Test
    void an_upstream_error_falls_back_to_the_answer_without_a_rewrite() throws Exception {
        upstream.enqueue(Reply.error(400, "invalid_request_error", null, "bad request"), Reply.completion("换货一般3到5天。", 300, 20));
        assertFallsBack("rw-3", "failed");
    }

    @Test
    void an_upstream_that_drops_the_connection_falls_back() throws Exception {
        upstream.enqueue(Reply.reset(), Reply.completion("换货一般3到5天。", 300, 20));
        assertFallsBack("rw-4", "failed");
    }

    @Test
    void a_rewrite_slower_than_the_timeout_is_abandoned_and_its_exchange_aborted() throws Exception {
        upstream.enqueue(Reply.completion(REWRITE, 90, 12).after(10_000), Reply.completion("换货一般3到5天。", 300, 20));
        assertFallsBack("rw-5", "timeout");
        upstream.awaitClientDisconnects(1);
        JsonNode abandoned = awaitLine("rw-5", "rag-rewrite");
        assertThat(abandoned.path("status").asText()).isEqualTo("cancelled");
        assertThat(abandoned.path("usage_estimated").asBoolean()).as("the upstream had the prompt: its estimate is charged").isTrue();
        assertThat(abandoned.path("prompt_tokens").asLong()).isPositive();
    }

    /** The line, once written: an abandoned call's ends after the request's answer. */
    private JsonNode awaitLine(String requestId, String function) throws Exception {
        for (int i = 0; i < 100; i++) {
            try {
                return line(requestId, function);
            } catch (AssertionError notYet) {
                Thread.sleep(100);
            }
        }
        return line(requestId, function);
    }

    @Test
    void an_answer_that_is_no_question_falls_back() throws Exception {
        // echo: the upstream answers with the conversation it got (several lines), as a confused model might
        upstream.enqueue(Reply.echo(0), Reply.completion("换货一般3到5天。", 300, 20));
        assertFallsBack("rw-6", "garbage");
    }

    @Test
    void an_overlong_or_empty_answer_falls_back() throws Exception {
        upstream.enqueue(Reply.completion("换货".repeat(60), 90, 60), Reply.completion("换货一般3到5天。", 300, 20));
        assertFallsBack("rw-7", "overlong");
        upstream.reset();
        upstream.enqueue(Reply.completion("  ", 90, 0), Reply.completion("换货一般3到5天。", 300, 20));
        assertFallsBack("rw-8", "empty");
    }

    private void assertFallsBack(String requestId, String why) throws Exception {
        RagResult result = query(FOLLOW_UP, requestId);

        assertThat(result.status).isEqualTo("success");
        assertThat(result.answer).isEqualTo("换货一般3到5天。");
        assertThat(ids(result)).as("the same sources as with the rewrite off").isEqualTo(offSources);
        List<RecordedRequest> sent = upstream.completionRequests();
        assertThat(sent.get(sent.size() - 1).json()).as("the same answer request as with the rewrite off").isEqualTo(offAnswerRequest);
        assertThat(line(requestId, "rag-query").path("rewrite").asText()).isEqualTo(why);
    }

    @Test
    void personal_data_in_the_conversation_is_masked_in_the_rewrite_request() throws Exception {
        upstream.enqueue(Reply.completion(REWRITE, 90, 12), Reply.completion("换货一般3到5天。", 300, 20));
        RagRequest withPhone = followUp("我的手机号是13912345678，退货的钱多久能到账？", "那换货呢？");

        RagResult result = query(withPhone, "rw-9");

        assertThat(result.status).isEqualTo("success");
        String rewriteRequest = upstream.completionRequests().get(0).body;
        assertThat(rewriteRequest).contains("用户最后的问题").doesNotContain("13912345678");
        assertThat(line("rw-9", "rag-rewrite").path("pii").path("phone").asInt()).isEqualTo(1);
        assertThat(String.join("\n", log)).doesNotContain("13912345678");
    }

    @Test
    void with_personal_data_blocked_a_conversation_holding_some_is_refused_as_without_the_rewrite_and_nothing_leaves() throws Exception {
        instance.close();
        instance = Instances.bootWithRag(upstream, log, "JINGNEI_RAG_REWRITE", "llm", "JINGNEI_PII", "block");
        instance.rag().get(60, TimeUnit.SECONDS);
        calls = new FunctionCalls(instance);
        upstream.reset();
        upstream.enqueue(Reply.completion(REWRITE, 90, 12), Reply.completion("七天无理由退货。", 300, 20));

        RagResult refused = query(followUp("我的手机号是13912345678，退货的钱多久能到账？", "那换货呢？"), "rw-b1");
        RagResult legitimate = query(FOLLOW_UP, "rw-b2");

        assertThat(refused.status).isNotEqualTo("success");
        assertThat(line("rw-b1", "rag-rewrite").path("status").asText()).isEqualTo(refused.status);
        assertThat(line("rw-b1", "rag-query").path("rewrite").asText()).isEqualTo("failed");
        assertThat(legitimate.status).isEqualTo("success");
        assertThat(upstream.completionRequests()).as("only the legitimate follow-up's rewrite and answer went upstream").hasSize(2);
        assertThat(String.join("\n", upstream.completionRequests().stream().map(r -> r.body).collect(java.util.stream.Collectors.toList())))
                .doesNotContain("13912345678");
    }

    @Test
    void a_rewrite_model_no_upstream_lists_is_said_at_start_and_every_follow_up_falls_back() throws Exception {
        instance.close();
        instance = Instances.bootWithRag(upstream, log, "JINGNEI_RAG_REWRITE", "llm", "JINGNEI_RAG_REWRITE_MODEL", "no-such-model");
        instance.rag().get(60, TimeUnit.SECONDS);
        calls = new FunctionCalls(instance);
        upstream.reset();
        upstream.enqueue(Reply.completion("换货一般3到5天。", 300, 20));

        RagResult result = query(FOLLOW_UP, "rw-m");

        assertThat(result.status).isEqualTo("success");
        assertThat(line("rw-m", "rag-query").path("rewrite").asText()).isEqualTo("failed");
        assertThat(ids(result)).isEqualTo(offSources);
        for (int i = 0; i < 100 && log.stream().noneMatch(l -> l.contains("JINGNEI_RAG_REWRITE_MODEL is not an upstream model")); i++) {
            Thread.sleep(100); // the model list is fetched in the background at start
        }
        assertThat(log).anyMatch(l -> l.contains("JINGNEI_RAG_REWRITE_MODEL is not an upstream model") && l.contains("no-such-model"));
    }

    @Test
    void a_caller_who_leaves_during_the_rewrite_aborts_it() throws Exception {
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        upstream.enqueue(Reply.completion(REWRITE, 90, 12).heldUntil(never));
        io.jingnei.core.call.CallTrace trace = new io.jingnei.core.call.CallTrace();

        java.util.concurrent.CompletableFuture<io.jingnei.core.entry.Reply> pending = calls.ragQuery(CALLER, FOLLOW_UP, "rw-gone", trace);
        upstream.awaitCompletionRequests(1);
        trace.cancel();

        upstream.awaitClientDisconnects(1);
        pending.get(20, TimeUnit.SECONDS);
        assertThat(awaitLine("rw-gone", "rag-rewrite").path("status").asText()).isEqualTo("cancelled");
        never.countDown();
    }

    @Test
    void the_rewrite_tokens_are_charged_to_the_caller_beside_the_answer() throws Exception {
        List<String> charges = new CopyOnWriteArrayList<>();
        instance.completions().meterWith((ctx, usage, cost) -> charges.add(ctx.caller.limitKey() + ":" + ctx.function + ":" + usage.totalTokens));
        upstream.enqueue(Reply.completion(REWRITE, 90, 12), Reply.completion("换货一般3到5天。", 300, 20));

        query(FOLLOW_UP, "rw-10");

        String who = CALLER.limitKey();
        assertThat(charges).containsExactly(who + ":rag-rewrite:102", who + ":rag-query:320");
    }
}
