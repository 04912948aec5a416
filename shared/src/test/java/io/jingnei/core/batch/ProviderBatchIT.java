package io.jingnei.core.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.config.Env;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.rag.RagService;
import io.jingnei.core.testing.FakeBatchApi;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.S3ProxyServer;
import io.jingnei.core.util.TimeSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * faq-batch in batch mode against S3Proxy, the real model on the sample knowledge base and a fake
 * upstream speaking the Files and Batch API: submit returns at once, the same request repeated
 * follows and then collects, masked values never reach the provider and come back restored.
 */
class ProviderBatchIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PHONE = "13812345678";

    private static S3ProxyServer s3;
    private static FakeUpstream upstream;
    private FakeBatchApi api;
    private JingneiInstance instance;
    private RagService rag;

    @BeforeAll
    static void start() {
        s3 = S3ProxyServer.start("jingnei-faq");
        upstream = FakeUpstream.start();
    }

    @AfterAll
    static void stop() {
        upstream.close();
        s3.close();
    }

    @BeforeEach
    void boot() throws Exception {
        upstream.reset();
        api = new FakeBatchApi();
        upstream.batchApi(api);
        instance = boot(Map.of());
        rag = instance.rag().get(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        instance.close();
    }

    private static JingneiInstance boot(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(s3.env());
        env.put("JINGNEI_LLM_BASE_URL", upstream.baseUrl());
        env.put("JINGNEI_LLM_API_KEY", FakeUpstream.KEY);
        env.put("JINGNEI_CACHE", "off");
        env.put("JINGNEI_RAG_MIN_CONFIDENCE", "0");
        env.put("JINGNEI_FAQ_BASE_URI", "s3://jingnei-faq/");
        env.put("JINGNEI_FAQ_MODE", "batch");
        env.putAll(extra);
        return JingneiInstance.boot(Env.of(env), TimeSource.system(), new CallLog(line -> { }), Optional::empty);
    }

    private Object step(String input) {
        return step(instance, new FaqBatchRequest(input, null));
    }

    private Object step(JingneiInstance on, FaqBatchRequest request) {
        try {
            return on.batch().call(request, on.rag().get(60, TimeUnit.SECONDS), new CallContext("batch-1", "faq-batch", null),
                    new ExecutorMapper());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void put(String uri, String text) throws Exception {
        instance.store().put(URI.create(uri), text.getBytes(StandardCharsets.UTF_8), "application/x-ndjson").get(10, TimeUnit.SECONDS);
    }

    private List<JsonNode> lines(String uri) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : new String(instance.store().get(URI.create(uri)).get(10, TimeUnit.SECONDS).bytes, StandardCharsets.UTF_8).split("\n")) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private static String questions(String... texts) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < texts.length; i++) {
            out.append("{\"id\":\"q").append(i + 1).append("\",\"question\":\"").append(texts[i]).append("\"}\n");
        }
        return out.toString();
    }

    @Test
    void a_run_submits_at_once_is_followed_by_repeating_the_request_and_collects_at_half_the_price() throws Exception {
        put("s3://jingnei-faq/faq-batch/in/b1.jsonl", questions("退货要多久能到账？", "发票怎么开", "退货要多久能到账?",
                "我的手机号" + PHONE + "，快递到哪了？", "帮我写一首诗"));

        BatchProgress submitted = (BatchProgress) step("faq-batch/in/b1.jsonl");

        assertThat(submitted.status).isEqualTo("submitted");
        assertThat(submitted.batchIds).hasSize(1);
        assertThat(submitted.requests).as("a duplicate is asked once; the poem has no context and needs no LLM").isEqualTo(3);
        assertThat(upstream.completionRequests()).as("no real-time call").isEmpty();
        assertThat(api.uploads()).hasSize(1);
        String uploaded = api.uploads().get(0);
        assertThat(uploaded).doesNotContain(PHONE).contains("[手机号1]").contains("\"url\":\"/v1/chat/completions\"");
        assertThat(uploaded.split("\n")).hasSize(3);

        BatchProgress following = (BatchProgress) step("faq-batch/in/b1.jsonl");
        assertThat(following.status).isEqualTo("in_progress");
        assertThat(following.requestCounts.path("total").asInt()).isEqualTo(3);

        BatchSummary done = (BatchSummary) step("faq-batch/in/b1.jsonl");

        assertThat(done.mode).isEqualTo("batch");
        assertThat(done.batchIds).isEqualTo(submitted.batchIds);
        assertThat(done.questions).isEqualTo(5);
        List<JsonNode> answers = lines(done.output);
        assertThat(answers).extracting(a -> a.path("id").asText()).containsExactly("q1", "q2", "q3", "q4", "q5");
        assertThat(answers.get(0).path("status").asText()).isEqualTo("success");
        assertThat(answers.get(0).path("sources").get(0).path("id").asText()).isEqualTo("refund-time");
        assertThat(answers.get(2).path("answer").asText()).isEqualTo(answers.get(0).path("answer").asText());
        assertThat(answers.get(3).path("answer").asText()).as("restored for the customer").contains(PHONE).doesNotContain("[手机号1]");
        assertThat(answers.get(4).path("status").asText()).isEqualTo("no_context");
        // 3 answers of 100 + 20 tokens at half of deepseek-v3.2's 0.14/0.42 USD per million.
        BigDecimal realtime = new BigDecimal("0.14").multiply(BigDecimal.valueOf(300)).add(new BigDecimal("0.42").multiply(BigDecimal.valueOf(60)))
                .divide(BigDecimal.valueOf(1_000_000));
        assertThat(done.costUsd).isEqualByComparingTo(realtime.divide(BigDecimal.valueOf(2)));
        assertThat(api.batchesCreated()).isEqualTo(1);

        BatchSummary again = (BatchSummary) step("faq-batch/in/b1.jsonl");
        assertThat(again.llmCalls).isZero();
        assertThat(api.batchesCreated()).as("a finished run asks nothing again").isEqualTo(1);
        assertThat(lines(again.output)).hasSize(5);
    }

    @Test
    void a_line_the_provider_rejects_fails_alone_and_the_next_run_asks_only_it() throws Exception {
        api.reject("发票");
        put("s3://jingnei-faq/faq-batch/in/b2.jsonl", questions("退货要多久能到账？", "发票怎么开", "忘记密码了怎么办"));

        step("faq-batch/in/b2.jsonl");
        step("faq-batch/in/b2.jsonl");
        BatchSummary done = (BatchSummary) step("faq-batch/in/b2.jsonl");

        List<JsonNode> answers = lines(done.output);
        assertThat(answers.get(1).path("status").asText()).isEqualTo("upstream_error");
        assertThat(answers.get(1).path("error").asText()).contains("HTTP 400").contains("inappropriate content");
        assertThat(answers.get(0).path("status").asText()).isEqualTo("success");
        assertThat(answers.get(2).path("status").asText()).isEqualTo("success");

        FakeBatchApi second = new FakeBatchApi();
        upstream.batchApi(second);
        BatchProgress rerun = (BatchProgress) step("faq-batch/in/b2.jsonl");
        assertThat(rerun.requests).isEqualTo(1);
        assertThat(second.uploads().get(0).split("\n")).hasSize(1);
        assertThat(second.uploads().get(0)).contains("发票");
    }

    @Test
    void an_expired_batch_reports_what_finished_and_leaves_the_rest_for_a_rerun() throws Exception {
        api.endAs("expired");
        put("s3://jingnei-faq/faq-batch/in/b3.jsonl", questions("退货要多久能到账？", "发票怎么开", "忘记密码了怎么办", "可以用花呗吗"));

        step("faq-batch/in/b3.jsonl");
        step("faq-batch/in/b3.jsonl");
        BatchSummary done = (BatchSummary) step("faq-batch/in/b3.jsonl");

        assertThat(done.byStatus).containsEntry("success", 2).containsEntry("expired", 2);
        upstream.batchApi(new FakeBatchApi());
        BatchProgress rerun = (BatchProgress) step("faq-batch/in/b3.jsonl");
        assertThat(rerun.requests).isEqualTo(2);
    }

    @Test
    void a_pending_batch_can_be_cancelled_and_what_finished_is_still_collected() throws Exception {
        put("s3://jingnei-faq/faq-batch/in/b4.jsonl", questions("退货要多久能到账？", "发票怎么开"));
        step("faq-batch/in/b4.jsonl");

        BatchProgress cancelling = (BatchProgress) step(instance, new FaqBatchRequest("faq-batch/in/b4.jsonl", null, "batch", true));
        assertThat(cancelling.status).isEqualTo("cancelling");

        BatchSummary done = (BatchSummary) step("faq-batch/in/b4.jsonl");
        // The fake provider had answered half the lines when the cancel took effect.
        assertThat(done.byStatus).containsEntry("success", 1).containsEntry("cancelled", 1);
    }

    @Test
    void an_upstream_without_the_batch_api_is_a_clear_error_that_suggests_realtime() throws Exception {
        upstream.batchApi(null);
        put("s3://jingnei-faq/faq-batch/in/b5.jsonl", questions("退货要多久能到账？"));

        assertThatThrownBy(() -> step("faq-batch/in/b5.jsonl")).isInstanceOf(JingneiException.class)
                .hasMessageContaining("no OpenAI-compatible Batch API").hasMessageContaining("realtime");
    }

    @Test
    void inputs_over_the_providers_limits_are_split_into_several_batches_under_one_run() throws Exception {
        try (JingneiInstance small = boot(Map.of("JINGNEI_FAQ_BATCH_MAX_LINES", "2"))) {
            put("s3://jingnei-faq/faq-batch/in/b6.jsonl", questions("退货要多久能到账？", "发票怎么开", "忘记密码了怎么办", "可以用花呗吗",
                    "双十一什么时候发货"));

            BatchProgress submitted = (BatchProgress) step(small, new FaqBatchRequest("faq-batch/in/b6.jsonl", null));
            assertThat(submitted.batchIds).hasSize(3);
            step(small, new FaqBatchRequest("faq-batch/in/b6.jsonl", null));
            BatchSummary done = (BatchSummary) step(small, new FaqBatchRequest("faq-batch/in/b6.jsonl", null));
            assertThat(done.batchIds).hasSize(3);
            assertThat(done.byStatus).containsEntry("success", 5);
        }
    }

    @Test
    void two_pollers_at_once_make_one_batch_and_one_output() throws Exception {
        put("s3://jingnei-faq/faq-batch/in/b7.jsonl", questions("退货要多久能到账？", "发票怎么开", "忘记密码了怎么办"));
        try (JingneiInstance other = boot(Map.of())) {
            other.rag().get(60, TimeUnit.SECONDS);
            for (int round = 0; round < 4; round++) {
                CompletableFuture<Object> a = CompletableFuture.supplyAsync(() -> step("faq-batch/in/b7.jsonl"));
                CompletableFuture<Object> b = CompletableFuture.supplyAsync(() -> step(other, new FaqBatchRequest("faq-batch/in/b7.jsonl", null)));
                a.get(60, TimeUnit.SECONDS);
                b.get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(api.batchesCreated()).isEqualTo(1);
        assertThat(api.uploads()).hasSize(1);
        List<JsonNode> answers = lines("s3://jingnei-faq/faq-batch/out/b7.jsonl");
        assertThat(answers).hasSize(3).allSatisfy(a -> assertThat(a.path("status").asText()).isEqualTo("success"));
    }
}
