package io.jingnei.core.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.rag.RagService;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Reply;
import io.jingnei.core.testing.S3ProxyServer;
import io.jingnei.core.util.TimeSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** faq-batch against S3Proxy, the fake upstream and the real model on the sample knowledge base. */
class FaqBatchIT {
    static final String QUESTIONS = io.jingnei.core.testing.SampleQuestions.TWELVE_WITH_THREE_REPEATS;

    private static S3ProxyServer s3;
    private static FakeUpstream upstream;
    private static JingneiInstance instance;
    private static RagService rag;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.start("jingnei-faq");
        upstream = FakeUpstream.start();
        Map<String, String> env = new HashMap<>(s3.env());
        env.put("JINGNEI_LLM_BASE_URL", upstream.baseUrl());
        env.put("JINGNEI_LLM_API_KEY", FakeUpstream.KEY);
        env.put("JINGNEI_CACHE", "off");
        // The first round's cosine rule: these tests count batching and calls on the sample
        // questions, and the shipped confidence bar also rejects q5 (see RagEndToEndIT).
        env.put("JINGNEI_RAG_MIN_CONFIDENCE", "0");
        env.put("JINGNEI_FAQ_BASE_URI", "s3://jingnei-faq/");
        instance = JingneiInstance.boot(Env.of(env), TimeSource.system(), new CallLog(line -> { }), Optional::empty);
        rag = instance.rag().get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        instance.close();
        upstream.close();
        s3.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    private static void put(String uri, String text) throws Exception {
        instance.store().put(URI.create(uri), text.getBytes(StandardCharsets.UTF_8), "application/x-ndjson").get(10, TimeUnit.SECONDS);
    }

    private static List<JsonNode> lines(String uri) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : new String(instance.store().get(URI.create(uri)).get(10, TimeUnit.SECONDS).bytes, StandardCharsets.UTF_8).split("\n")) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    @Test
    void a_nightly_batch_is_admitted_question_by_question_and_what_its_limit_refuses_is_asked_again_next_run() throws Exception {
        Map<String, String> env = new HashMap<>(s3.env());
        env.put("JINGNEI_LLM_BASE_URL", upstream.baseUrl());
        env.put("JINGNEI_LLM_API_KEY", FakeUpstream.KEY);
        env.put("JINGNEI_CACHE", "off");
        env.put("JINGNEI_RAG_MIN_CONFIDENCE", "0");
        env.put("JINGNEI_FAQ_BASE_URI", "s3://jingnei-faq/");
        env.put("JINGNEI_FAQ_CONCURRENCY", "1");
        env.put("JINGNEI_LIMITS", "*:rpm=1000;platform:rpm=3");
        put("s3://jingnei-faq/faq-batch/in/limited.jsonl", "{\"id\":\"a\",\"question\":\"退款多久能到账？\"}\n"
                + "{\"id\":\"b\",\"question\":\"发票怎么开？\"}\n{\"id\":\"c\",\"question\":\"怎么修改收货地址？\"}\n"
                + "{\"id\":\"d\",\"question\":\"支持哪些支付方式？\"}\n{\"id\":\"e\",\"question\":\"会员有什么权益？\"}\n");
        try (JingneiInstance limited = JingneiInstance.boot(Env.of(env), TimeSource.system(), new CallLog(line -> { }), Optional::empty)) {
            BatchSummary summary = limited.batch().run(new FaqBatchRequest("faq-batch/in/limited.jsonl", null),
                    limited.rag().get(60, TimeUnit.SECONDS), new CallContext("night-1", "faq-batch", Caller.platform()), new ExecutorMapper());

            assertThat(summary.byStatus).containsEntry("success", 3).containsEntry("rate_limited", 2);
            assertThat(upstream.completionRequests()).hasSize(3);
            List<JsonNode> answers = lines(summary.output);
            assertThat(answers.get(4).path("status").asText()).isEqualTo("rate_limited");
            assertThat(answers.get(4).path("error").asText()).contains("platform", "requests per minute (3)");
        }
    }

    private static BatchSummary run(String input, BoundedMapper mapper) {
        return instance.batch().run(new FaqBatchRequest(input, null), rag, new CallContext("batch-1", "faq-batch", null), mapper);
    }

    @Test
    void twelve_questions_with_three_repeats_cost_at_most_nine_calls_and_a_rerun_costs_none() throws Exception {
        put("s3://jingnei-faq/faq-batch/in/day1.jsonl", QUESTIONS);

        BatchSummary first = run("faq-batch/in/day1.jsonl", new ExecutorMapper());

        assertThat(first.output).isEqualTo("s3://jingnei-faq/faq-batch/out/day1.jsonl");
        assertThat(first.questions).isEqualTo(12);
        assertThat(first.uniqueQuestions).isEqualTo(9);
        assertThat(upstream.completionRequests().size()).isLessThanOrEqualTo(9).isEqualTo(first.llmCalls);
        assertThat(first.byStatus).containsEntry("no_context", 2);
        List<JsonNode> answers = lines(first.output);
        assertThat(answers).hasSize(12);
        assertThat(answers.get(0).path("id").asText()).isEqualTo("q1");
        assertThat(answers.get(0).path("status").asText()).isEqualTo("success");
        assertThat(answers.get(0).path("sources").get(0).path("id").asText()).isEqualTo("refund-time");
        assertThat(answers.get(9).path("answer").asText()).isEqualTo(answers.get(0).path("answer").asText());
        assertThat(answers.get(9).path("reused").asBoolean()).isTrue();
        assertThat(answers.get(7).path("answer").asText()).isEqualTo("抱歉，我在知识库中未找到相关信息。");
        JsonNode summaryFile = JSON.readTree(instance.store().get(URI.create("s3://jingnei-faq/faq-batch/out/day1.summary.json")).get().bytes);
        assertThat(summaryFile.path("questions").asInt()).isEqualTo(12);
        assertThat(first.costUsd).isPositive();

        upstream.reset();
        BatchSummary second = run("faq-batch/in/day1.jsonl", new ExecutorMapper());

        assertThat(upstream.completionRequests()).isEmpty();
        assertThat(second.llmCalls).isZero();
        assertThat(second.costUsd).isZero();
        assertThat(lines(second.output)).hasSize(12);
    }

    @Test
    void one_failing_question_does_not_fail_the_batch_and_a_rerun_asks_only_it() throws Exception {
        put("s3://jingnei-faq/faq-batch/in/day2.jsonl", QUESTIONS);
        upstream.enqueue(Reply.completion("a", 10, 2), Reply.completion("b", 10, 2), Reply.completion("c", 10, 2),
                Reply.completion("d", 10, 2), Reply.completion("e", 10, 2), Reply.completion("f", 10, 2));
        upstream.fallback(Reply.error(400, "invalid_request_error", null, "content rejected"));

        BatchSummary first = run("faq-batch/in/day2.jsonl", new ExecutorMapper());

        assertThat(first.byStatus).containsKey("invalid_request");
        List<JsonNode> failed = new ArrayList<>();
        for (JsonNode line : lines(first.output)) {
            if (line.path("status").asText().equals("invalid_request")) {
                failed.add(line);
                assertThat(line.path("error").asText()).contains("content rejected");
            }
        }
        assertThat(failed).isNotEmpty();

        upstream.reset();
        BatchSummary second = run("faq-batch/in/day2.jsonl", new ExecutorMapper());

        assertThat(upstream.completionRequests()).hasSize(1);
        assertThat(second.byStatus).doesNotContainKey("invalid_request");
    }

    @Test
    void a_crash_mid_batch_resumes_without_asking_again() throws Exception {
        StringBuilder many = new StringBuilder();
        String[] topics = {"退货", "退款", "换货", "发票", "快递", "运费", "密码", "积分", "会员", "优惠券", "保修", "发货", "地址", "取消订单",
                "支付", "尺码", "正品", "包装", "预售", "客服"};
        for (int i = 0; i < topics.length; i++) {
            many.append("{\"id\":\"m").append(i).append("\",\"question\":\"").append(topics[i]).append("的规则是什么？\"}\n");
        }
        put("s3://jingnei-faq/faq-batch/in/crash.jsonl", many.toString());
        AtomicInteger done = new AtomicInteger();
        BoundedMapper dying = new BoundedMapper() {
            @Override
            public <T, R> List<R> map(List<T> items, int concurrency, Function<T, CompletableFuture<R>> function) {
                return new ExecutorMapper().map(items, 1, item -> {
                    if (done.incrementAndGet() > 12) {
                        throw new IllegalStateException("instance killed");
                    }
                    return function.apply(item);
                });
            }
        };

        assertThatThrownBy(() -> run("faq-batch/in/crash.jsonl", dying)).isInstanceOf(io.jingnei.core.error.JingneiException.class)
                .hasRootCauseMessage("instance killed");
        int askedBeforeCrash = upstream.completionRequests().size();
        assertThat(askedBeforeCrash).isGreaterThanOrEqualTo(10);

        upstream.reset();
        BatchSummary resumed = run("faq-batch/in/crash.jsonl", new ExecutorMapper());

        assertThat(resumed.questions).isEqualTo(20);
        assertThat(resumed.reused).isGreaterThanOrEqualTo(10);
        assertThat(upstream.completionRequests().size()).isLessThanOrEqualTo(20 - 10);
    }

    @Test
    void malformed_lines_are_reported_in_their_own_output_line() throws Exception {
        put("s3://jingnei-faq/faq-batch/in/bad.jsonl", "{\"id\":\"ok\",\"question\":\"发票怎么开\"}\n{broken\n{\"id\":\"empty\"}\n");

        BatchSummary summary = run("faq-batch/in/bad.jsonl", new ExecutorMapper());
        List<JsonNode> answers = lines(summary.output);

        assertThat(answers).hasSize(3);
        assertThat(answers.get(1).path("status").asText()).isEqualTo("invalid_line");
        assertThat(answers.get(1).path("error").asText()).contains("line 2");
        assertThat(answers.get(2).path("error").asText()).contains("no 'question'");
        assertThat(summary.byStatus).containsEntry("invalid_line", 2);
    }

    @Test
    void csv_input_works_and_answers_go_to_jsonl() throws Exception {
        put("s3://jingnei-faq/faq-batch/in/day3.csv", "id,question\nc1,发票怎么开\nc2,\"运费谁出\"\n");

        BatchSummary summary = run("s3://jingnei-faq/faq-batch/in/day3.csv", new ExecutorMapper());

        assertThat(summary.output).isEqualTo("s3://jingnei-faq/faq-batch/out/day3.jsonl");
        assertThat(lines(summary.output)).extracting(l -> l.path("id").asText()).containsExactly("c1", "c2");
    }

    @Test
    void outputs_that_would_trigger_the_function_again_are_refused() throws Exception {
        put("s3://jingnei-faq/faq-batch/in/loop.jsonl", QUESTIONS);
        assertThatThrownBy(() -> instance.batch().run(new FaqBatchRequest("faq-batch/in/loop.jsonl", "s3://jingnei-faq/faq-batch/in/answers.jsonl"),
                rag, new CallContext(null, "faq-batch", null), new ExecutorMapper()))
                .isInstanceOf(BatchException.class).hasMessageContaining("trigger the function again");
        assertThatThrownBy(() -> BatchLimits.from(Env.of(Map.of("JINGNEI_FAQ_INPUT_PREFIX", "faq-batch/"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("in/");
        assertThat(instance.batch().isInput("faq-batch/out/day1.jsonl")).as("our own answers do not start a batch").isFalse();
    }

    @Test
    void input_over_the_limits_is_a_clear_error() throws Exception {
        put("s3://jingnei-faq/faq-batch/in/big.jsonl", QUESTIONS);
        Map<String, String> env = new HashMap<>(s3.env());
        env.put("JINGNEI_FAQ_MAX_QUESTIONS", "5");
        FaqBatch limited = new FaqBatch(instance.guardedStore(), BatchLimits.from(Env.of(env)), new CallLog(l -> { }), "deepseek-v3.2", instance.quotas,
                instance.llm(), instance.completions().pii(), io.jingnei.core.pricing.BatchPrices.from(Env.of(env), instance.completions().prices()),
                TimeSource.system());
        assertThatThrownBy(() -> limited.run(new FaqBatchRequest("s3://jingnei-faq/faq-batch/in/big.jsonl", null), rag,
                new CallContext(null, "faq-batch", null), new ExecutorMapper()))
                .hasMessageContaining("more than 5 questions").hasMessageContaining("JINGNEI_FAQ_MAX_QUESTIONS");
    }
}
