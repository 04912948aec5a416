package io.jingnei.core.rag;

import com.fasterxml.jackson.databind.JsonNode;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.config.Env;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.storage.GuardedStore;
import io.jingnei.core.storage.ObjectStore;
import io.jingnei.core.storage.StorageAllowList;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Reply;
import io.jingnei.core.testing.S3ProxyServer;
import io.jingnei.core.util.TimeSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The done-when: a knowledge base in an S3-compatible bucket becomes an index object in
 * that bucket through index-build; an instance started on it answers in-scope questions with the
 * right document among the top 3 sources and out-of-scope ones with no_context. Real S3Proxy, real
 * model, fake LLM upstream.
 */
class RagEndToEndIT {
    private static S3ProxyServer s3;
    private static FakeUpstream upstream;
    private static JingneiInstance builder;
    private static final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.start("jingnei-kb");
        upstream = FakeUpstream.start();
        builder = boot(Map.of("JINGNEI_INDEX_URI", "s3://jingnei-kb/none-yet.jnix"));
        byte[] kb = Files.readAllBytes(Paths.get(RagEndToEndIT.class.getResource("/jingnei/sample-kb/ecommerce-faq.jsonl").toURI()));
        builder.store().put(URI.create("s3://jingnei-kb/kb/faq.jsonl"), kb, "application/x-ndjson").get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        builder.close();
        upstream.close();
        s3.close();
    }

    static JingneiInstance boot(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(s3.env());
        env.put("JINGNEI_LLM_BASE_URL", upstream.baseUrl());
        env.put("JINGNEI_LLM_API_KEY", FakeUpstream.KEY);
        env.put("JINGNEI_CACHE", "off");
        env.putAll(extra);
        return JingneiInstance.boot(Env.of(env), TimeSource.system(), new CallLog(log::add), Optional::empty);
    }

    private static RagResult ask(JingneiInstance instance, String query) throws Exception {
        RagService rag = instance.rag().get(60, TimeUnit.SECONDS);
        return rag.query(RagRequest.ofQuery(query), new CallContext(null, "rag-query",
                io.jingnei.core.auth.Caller.user(io.jingnei.core.auth.Caller.Via.CLIENT_KEY, "u-1"))).get(30, TimeUnit.SECONDS);
    }

    private IndexBuilder.Result build(String input, String output) throws Exception {
        // As index-build is called: through the allow-list, here the test's bucket and its local folder.
        GuardedStore allowed = new GuardedStore(builder.store(), StorageAllowList.from(Env.of(Map.of("JINGNEI_STORAGE_ALLOW",
                "s3://jingnei-kb/," + Paths.get("target/rag-reload").toAbsolutePath().toUri()))));
        return new IndexBuildService(allowed, RagConfig.from(Env.of(Map.of())), new CallLog(log::add), TimeSource.system())
                .build(new IndexBuildRequest(input, output, null), builder.rag().get(60, TimeUnit.SECONDS), new CallContext(null, "index-build", null));
    }

    @Test
    void a_bucket_knowledge_base_becomes_an_index_that_answers_with_sources() throws Exception {
        IndexBuilder.Result built = build("s3://jingnei-kb/kb/faq.jsonl", "s3://jingnei-kb/index/faq.jnix");
        assertThat(built.documents).isEqualTo(30);
        assertThat(built.dimension).isEqualTo(512);
        assertThat(built.model).isEqualTo("bge-small-zh-v1.5-q");

        // The first round's cosine rule (confidence bar off): this test is about the bucket pipeline.
        // Under the shipped bar, 收到的杯子碎了怎么办 (cosine 0.536 to 'damaged', barely above the
        // floor, lead 0.07) is rejected: the price of rejecting half the near-domain questions
        // nothing answers, measured in RetrievalDevSetIT.
        try (JingneiInstance instance = boot(Map.of("JINGNEI_INDEX_URI", "s3://jingnei-kb/index/faq.jnix", "JINGNEI_RAG_MIN_CONFIDENCE", "0"))) {
            upstream.reset();
            Map<String, String> inScope = Map.of(
                    "退货要多久能到账？", "refund-time",
                    "怎么查快递到哪了", "shipping-track",
                    "发票怎么开", "invoice",
                    "忘记密码了怎么办", "password-reset",
                    "收到的杯子碎了怎么办", "damaged");
            for (Map.Entry<String, String> question : inScope.entrySet()) {
                upstream.enqueue(Reply.completion("根据资料回答。", 300, 20));
                RagResult result = ask(instance, question.getKey());
                assertThat(result.status).as(question.getKey()).isEqualTo("success");
                assertThat(result.mode).isEqualTo("generated");
                assertThat(result.sources.stream().limit(3).map(s -> s.id).collect(Collectors.toList()))
                        .as(question.getKey()).contains(question.getValue());
                assertThat(result.usage.totalTokens).isEqualTo(320);
                assertThat(result.cost.usd).isPositive();
                assertThat(result.latencyMs.total).isGreaterThanOrEqualTo(result.latencyMs.retrieve);
            }
            JsonNode prompt = upstream.completionRequests().get(0).json().path("messages");
            assertThat(prompt.get(1).path("content").asText()).startsWith("参考资料：\n[1] ").contains("用户问题：");
            assertThat(upstream.completionRequests().get(0).json().path("user").asText()).isEqualTo("u-1");

            int calls = upstream.completionRequests().size();
            for (String outOfScope : List.of("推荐一部好看的电影", "帮我写一首诗", "怎么做红烧肉")) {
                RagResult result = ask(instance, outOfScope);
                assertThat(result.status).as(outOfScope).isEqualTo("no_context");
                assertThat(result.answer).isEqualTo("抱歉，我在知识库中未找到相关信息。");
            }
            assertThat(upstream.completionRequests()).as("no LLM call without context").hasSize(calls);
        }
    }

    @Test
    void the_llm_finding_that_the_passages_do_not_answer_gives_the_fixed_no_context_answer() throws Exception {
        build("s3://jingnei-kb/kb/faq.jsonl", "s3://jingnei-kb/index/marker.jnix");
        try (JingneiInstance instance = boot(Map.of("JINGNEI_INDEX_URI", "s3://jingnei-kb/index/marker.jnix"))) {
            upstream.reset();
            upstream.enqueue(Reply.completion("[NO_ANSWER]", 300, 3));

            RagResult result = ask(instance, "退货要多久能到账？");

            assertThat(result.status).isEqualTo("no_context");
            assertThat(result.answer).isEqualTo(RagResult.NO_CONTEXT_ANSWER);
            assertThat(result.usage.totalTokens).as("the call happened and is accounted for").isEqualTo(303);
            assertThat(upstream.completionRequests()).hasSize(1);
            JsonNode messages = upstream.completionRequests().get(0).json().path("messages");
            assertThat(messages.get(messages.size() - 1).path("content").asText()).contains("[NO_ANSWER]");
        }
    }

    @Test
    void threshold_zero_returns_the_plain_ranking_without_rejection() throws Exception {
        build("s3://jingnei-kb/kb/faq.jsonl", "s3://jingnei-kb/index/plain.jnix");
        try (JingneiInstance instance = boot(Map.of("JINGNEI_INDEX_URI", "s3://jingnei-kb/index/plain.jnix", "JINGNEI_LLM_API_KEY", ""))) {
            RagService rag = instance.rag().get(60, TimeUnit.SECONDS);
            // The plain ranking is an admin's view: other callers never go below the configured floor.
            CallContext ctx = new CallContext(null, "rag-query", io.jingnei.core.auth.Caller.user(io.jingnei.core.auth.Caller.Via.ADMIN_KEY,
                    io.jingnei.core.auth.Caller.ADMIN));

            RagResult rejected = rag.query(RagRequest.ofQuery("怎么做红烧肉"), ctx).get(30, TimeUnit.SECONDS);
            RagResult plain = rag.query(new RagRequest("怎么做红烧肉", 3, 0.0, null, null, null, null), ctx).get(30, TimeUnit.SECONDS);

            assertThat(rejected.status).isEqualTo("no_context");
            assertThat(plain.status).isEqualTo("success");
            assertThat(plain.sources).hasSize(3);
            assertThat(plain.sources.get(0).similarity).isGreaterThanOrEqualTo(plain.sources.get(2).similarity);
        }
    }

    @Test
    void a_missing_index_is_reported_by_name_and_chat_keeps_working() throws Exception {
        try (JingneiInstance instance = boot(Map.of("JINGNEI_INDEX_URI", "s3://jingnei-kb/index/missing.jnix"))) {
            RagResult result = ask(instance, "退货");
            assertThat(result.status).isEqualTo("index_unavailable");
            assertThat(result.httpStatus).isEqualTo(503);
            assertThat(result.error).contains("s3://jingnei-kb/index/missing.jnix").contains("not found");
            assertThat(instance.chat().chat(io.jingnei.core.chat.ChatRequest.ofQuery("你好"), new CallContext(null, "chat", null))
                    .get(10, TimeUnit.SECONDS).status).isEqualTo("success");
        }
    }

    @Test
    void a_corrupt_index_or_one_from_another_model_is_a_clear_error() throws Exception {
        ObjectStore store = builder.store();
        assertThat(build("s3://jingnei-kb/kb/faq.jsonl", "s3://jingnei-kb/index/corrupt.jnix").chunks).isPositive();
        // The build wrote a version and a pointer to it: the version object is what gets corrupted.
        URI pointer = URI.create("s3://jingnei-kb/index/corrupt.jnix");
        URI version = io.jingnei.core.index.IndexPointer.resolve(pointer, io.jingnei.core.index.IndexPointer.current(store, pointer).index);
        byte[] bytes = store.get(version).get().bytes;
        bytes[bytes.length - 100] ^= 1;
        store.put(version, bytes, "application/octet-stream").get();
        try (JingneiInstance instance = boot(Map.of("JINGNEI_INDEX_URI", "s3://jingnei-kb/index/corrupt.jnix"))) {
            assertThat(ask(instance, "退货").error).contains("checksum");
        }
        byte[] other = io.jingnei.core.index.IndexFormat.write(new float[512], 512,
                List.of(new io.jingnei.core.index.Chunk("x", 0, "x", "{}")), "text-embedding-3-small", false);
        store.put(URI.create("s3://jingnei-kb/index/other.jnix"), other, "application/octet-stream").get();
        try (JingneiInstance instance = boot(Map.of("JINGNEI_INDEX_URI", "s3://jingnei-kb/index/other.jnix"))) {
            assertThat(ask(instance, "退货").error).contains("text-embedding-3-small").contains("bge-small-zh-v1.5-q");
        }
    }

    @Test
    void a_newer_index_is_swapped_in_and_a_broken_one_is_not() throws Exception {
        Files.createDirectories(Paths.get("target/rag-reload"));
        URI source = Paths.get("target/rag-reload/kb.jsonl").toAbsolutePath().toUri();
        URI index = Paths.get("target/rag-reload/index.jnix").toAbsolutePath().toUri();
        builder.store().put(source, "{\"id\":\"old\",\"content\":\"旧的退货政策：十五天内可以退货。\"}\n".getBytes(), "application/x-ndjson").get();
        assertThat(build(source.toString(), index.toString()).chunks).isPositive();
        try (JingneiInstance instance = boot(Map.of("JINGNEI_INDEX_URI", index.toString(), "JINGNEI_INDEX_RELOAD_INTERVAL", "50ms",
                "JINGNEI_LLM_API_KEY", ""))) {
            assertThat(ask(instance, "可以退货吗").sources.get(0).id).isEqualTo("old");

            Thread.sleep(20); // a distinct modification time for the new version
            builder.store().put(source, "{\"id\":\"new\",\"content\":\"新的退货政策：七天内可以退货。\"}\n".getBytes(), "application/x-ndjson").get();
            assertThat(build(source.toString(), index.toString()).chunks).isPositive();
            assertThat(eventually(instance, "new")).isTrue();

            Thread.sleep(20);
            builder.store().put(index, "garbage".getBytes(), "application/octet-stream").get();
            Thread.sleep(200);
            ask(instance, "可以退货吗"); // triggers the check of the broken version
            Thread.sleep(200);
            assertThat(ask(instance, "可以退货吗").sources.get(0).id).as("the old index keeps serving").isEqualTo("new");
        }
    }

    @Test
    void without_an_llm_key_the_rewrite_asked_for_is_off_and_a_follow_up_is_answered_as_without_it() throws Exception {
        build("s3://jingnei-kb/kb/faq.jsonl", "s3://jingnei-kb/index/no-key.jnix");
        RagRequest followUp = new RagRequest("那换货呢？", null, null, null, null, null, List.of(
                new io.jingnei.core.llm.ChatMessage("user", "退货的钱多久能到账？"),
                new io.jingnei.core.llm.ChatMessage("assistant", "商家确认收到退货后24小时内发起退款。")));
        int calls = upstream.completionRequests().size();
        RagResult off;
        RagResult asked;
        try (JingneiInstance instance = boot(Map.of("JINGNEI_INDEX_URI", "s3://jingnei-kb/index/no-key.jnix", "JINGNEI_LLM_API_KEY", "",
                "JINGNEI_RAG_MIN_CONFIDENCE", "0"))) {
            off = instance.rag().get(60, TimeUnit.SECONDS).query(followUp, new CallContext(null, "rag-query", null)).get(30, TimeUnit.SECONDS);
        }
        try (JingneiInstance instance = boot(Map.of("JINGNEI_INDEX_URI", "s3://jingnei-kb/index/no-key.jnix", "JINGNEI_LLM_API_KEY", "",
                "JINGNEI_RAG_MIN_CONFIDENCE", "0", "JINGNEI_RAG_REWRITE", "llm"))) {
            asked = instance.rag().get(60, TimeUnit.SECONDS).query(followUp, new CallContext(null, "rag-query", null)).get(30, TimeUnit.SECONDS);
        }

        assertThat(asked.status).isEqualTo("success");
        assertThat(asked.mode).isEqualTo("extractive");
        assertThat(asked.answer).isEqualTo(off.answer);
        assertThat(asked.sources.stream().map(s -> s.id).collect(Collectors.toList()))
                .isEqualTo(off.sources.stream().map(s -> s.id).collect(Collectors.toList()));
        assertThat(upstream.completionRequests()).as("nothing asked of an LLM").hasSize(calls);
        assertThat(log.stream().filter(line -> line.contains("JINGNEI_RAG_REWRITE=llm is off"))).hasSize(1);
    }

    private static boolean eventually(JingneiInstance instance, String id) throws Exception {
        for (int i = 0; i < 50; i++) {
            RagResult result = ask(instance, "可以退货吗");
            if (!result.sources.isEmpty() && result.sources.get(0).id.equals(id)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
