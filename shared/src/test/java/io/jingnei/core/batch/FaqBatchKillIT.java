package io.jingnei.core.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.config.Env;
import io.jingnei.core.http.SharedHttpClient;
import io.jingnei.core.storage.CredentialsProvider;
import io.jingnei.core.storage.ObjectStore;
import io.jingnei.core.storage.ObjectStoreException;
import io.jingnei.core.storage.S3ObjectStore;
import io.jingnei.core.storage.S3Settings;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.FaultyProxy;
import io.jingnei.core.testing.FaultyProxy.Fault;
import io.jingnei.core.testing.RecordedRequest;
import io.jingnei.core.testing.Reply;
import io.jingnei.core.testing.S3ProxyServer;
import io.jingnei.core.util.TimeSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * faq-batch in its own JVM, killed with SIGKILL mid-run and started again, against S3Proxy and a
 * fake upstream that counts calls: the second run writes the complete output (every question once,
 * in input order) and the upstream is asked at most questions + one checkpoint interval +
 * concurrency times over both runs. Figures go to target/faq-kill-figures.md.
 */
class FaqBatchKillIT {
    private static final int QUESTIONS = 60;
    private static final int CONCURRENCY = 4;
    private static final int BOUND = QUESTIONS + AnswerCheckpoint.CHECKPOINT_EVERY + CONCURRENCY;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static S3ProxyServer s3;
    private static FakeUpstream upstream;
    private static SharedHttpClient http;
    private static ObjectStore store;
    private static Path tmp;
    private static final List<String> figures = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() throws IOException {
        s3 = S3ProxyServer.start("jingnei-faq");
        upstream = FakeUpstream.start();
        http = new SharedHttpClient(4, Duration.ofSeconds(2), Duration.ofSeconds(10));
        store = new S3ObjectStore(http, S3Settings.from(Env.of(s3.env())), CredentialsProvider.chain(Env.of(s3.env()), Optional::empty),
                TimeSource.system());
        // The sample index the batch searches is built by the first process and reused by the rest (same version, same cache keys).
        tmp = Files.createTempDirectory("faq-kill-");
    }

    @AfterAll
    static void stop() throws IOException {
        http.close();
        upstream.close();
        s3.close();
        StringBuilder table = new StringBuilder("| scenario | questions | checkpoint interval | concurrency | upstream calls before the kill "
                + "| checkpointed answers reused by the restart | upstream calls by the restart | upstream calls in all | bound | output lines |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        synchronized (figures) {
            figures.forEach(row -> table.append(row).append('\n'));
        }
        System.out.println("faq-batch SIGKILL figures:\n" + table);
        Path out = Paths.get("target", "faq-kill-figures.md");
        Files.createDirectories(out.getParent());
        Files.write(out, table.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void killed_mid_run_and_started_again_it_answers_every_question_once_within_the_call_bound() throws Exception {
        String name = "kill";
        upstream.reset();
        upstream.fallback(Reply.completion("请参考资料中的说明。", 30, 10).after(150));
        List<String> questions = writeQuestions(name);

        Process first = batch(s3.endpoint(), name, "first");
        await(() -> upstream.completionRequests().size() >= 2 * AnswerCheckpoint.CHECKPOINT_EVERY + 3, first, "23 upstream calls");
        killed(first);

        restartAndCheck("SIGKILL after 23 calls, slow upstream (150 ms)", name, questions);
    }

    @Test
    void killed_while_a_checkpoint_hangs_on_the_store_it_still_stays_within_the_call_bound() throws Exception {
        String name = "stuck";
        upstream.reset();
        upstream.fallback(Reply.completion("请参考资料中的说明。", 30, 10).after(20));
        List<String> questions = writeQuestions(name);
        try (FaultyProxy proxy = FaultyProxy.inFrontOf(s3.endpoint())) {
            proxy.plan("PUT", "/jingnei-faq/faq-batch/out/" + name + ".jsonl.cache.jsonl", List.of(Fault.hang(30_000)));

            Process first = batch(proxy.endpoint(), name, "first");
            await(() -> proxy.matchedRequests() >= 1, first, "the first checkpoint to reach the store");
            // The store stays stuck for a while: answers must not pile up unsaved behind it.
            long stuckUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
            await(() -> upstream.completionRequests().size() >= QUESTIONS || System.nanoTime() > stuckUntil, first, "the stuck window");
            killed(first);
        }

        restartAndCheck("SIGKILL while the first checkpoint PUT hangs, fast upstream (20 ms)", name, questions);
    }

    private void restartAndCheck(String scenario, String name, List<String> questions) throws Exception {
        int callsBeforeKill = upstream.completionRequests().size();
        URI output = URI.create("s3://jingnei-faq/faq-batch/out/" + name + ".jsonl");
        assertThat(missing(output)).as("the killed run wrote no output").isTrue();
        int checkpointed = cacheLines(URI.create(output + ".cache.jsonl"));

        Process second = batch(s3.endpoint(), name, "second");
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("the restarted batch finishes").isTrue();
        assertThat(second.exitValue()).as("exit code; log in %s", tmp).isZero();
        JsonNode summary = reply(name + "-second");

        List<RecordedRequest> calls = upstream.completionRequests();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : new String(store.get(output).get(10, TimeUnit.SECONDS).bytes, StandardCharsets.UTF_8).split("\n")) {
            lines.add(JSON.readTree(line));
        }
        figures.add("| " + scenario + " | " + QUESTIONS + " | " + AnswerCheckpoint.CHECKPOINT_EVERY + " | " + CONCURRENCY + " | " + callsBeforeKill
                + " | " + summary.path("reused").asInt() + " | " + summary.path("llm_calls").asInt() + " | " + calls.size() + " | " + BOUND
                + " | " + lines.size() + " |");

        assertThat(lines).extracting(l -> l.path("id").asText()).as("one line per question, in input order").containsExactlyElementsOf(ids());
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i).path("question").asText()).isEqualTo(questions.get(i));
            assertThat(lines.get(i).path("status").asText()).as(lines.get(i).toString()).isEqualTo("success");
            assertThat(lines.get(i).path("answer").asText()).isEqualTo("请参考资料中的说明。");
        }
        assertThat(summary.path("questions").asInt()).isEqualTo(QUESTIONS);
        // A checkpoint PUT sent whole just before the kill may still land after this test looked: at least what it saw is reused.
        assertThat(summary.path("reused").asInt()).as("answers taken from the checkpoint").isGreaterThanOrEqualTo(checkpointed);
        assertThat(summary.path("reused").asInt() + summary.path("llm_calls").asInt()).isEqualTo(QUESTIONS);
        Map<String, Integer> asked = timesAsked(calls, questions);
        assertThat(asked.values()).as("every question reached the upstream, at most once per run").allMatch(n -> n >= 1 && n <= 2);
        assertThat(calls.size()).as("upstream calls over both runs").isLessThanOrEqualTo(BOUND);
    }

    private static List<String> writeQuestions(String name) throws Exception {
        String[] topics = {"退货", "退款", "换货", "发票", "快递", "运费", "密码", "积分", "会员", "优惠券", "保修", "发货", "地址", "取消订单",
                "支付", "尺码", "正品", "包装", "预售", "客服"};
        String[] forms = {"%s的规则是什么？", "%s怎么办理？", "%s需要多久？"};
        List<String> questions = new ArrayList<>();
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < QUESTIONS; i++) {
            String question = String.format(forms[i / topics.length], topics[i % topics.length]);
            questions.add(question);
            jsonl.append(JSON.createObjectNode().put("id", "k" + i).put("question", question)).append('\n');
        }
        store.put(URI.create("s3://jingnei-faq/faq-batch/in/" + name + ".jsonl"), jsonl.toString().getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson").get(10, TimeUnit.SECONDS);
        return questions;
    }

    private static List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < QUESTIONS; i++) {
            ids.add("k" + i);
        }
        return ids;
    }

    /** The faq-batch process, as a function instance: its own JVM on the test classpath, configured by environment. */
    private static Process batch(String s3Endpoint, String name, String run) throws IOException {
        Map<String, String> env = new HashMap<>(s3.env());
        env.put("JINGNEI_S3_ENDPOINT", s3Endpoint);
        env.put("JINGNEI_LLM_BASE_URL", upstream.baseUrl());
        env.put("JINGNEI_LLM_API_KEY", FakeUpstream.KEY);
        env.put("JINGNEI_CACHE", "off");
        env.put("JINGNEI_FAQ_BASE_URI", "s3://jingnei-faq/");
        env.put("JINGNEI_FAQ_CONCURRENCY", String.valueOf(CONCURRENCY));
        env.put("JINGNEI_RAG_THRESHOLD", "-1"); // every question finds context, so every question is an LLM call
        env.put("JINGNEI_RAG_MIN_CONFIDENCE", "0"); // and no confidence bar rejects one
        ProcessBuilder builder = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                FaqBatchProcess.class.getName(), "s3://jingnei-faq/faq-batch/in/" + name + ".jsonl")
                .redirectErrorStream(true).redirectOutput(tmp.resolve(name + "-" + run + ".log").toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("JINGNEI_") || key.startsWith("HOLYSHEEP_") || key.startsWith("AWS_")
                || key.startsWith("ALIBABA_CLOUD_") || key.startsWith("TENCENTCLOUD_") || key.startsWith("FC_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static void await(BooleanSupplier condition, Process process, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError("the batch ended (exit " + process.exitValue() + ") before " + what + "; log in " + tmp);
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("no " + what + " within 60 s; log in " + tmp);
            }
            Thread.sleep(5);
        }
    }

    private static void killed(Process process) throws InterruptedException {
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    }

    private static boolean missing(URI uri) throws Exception {
        try {
            store.etag(uri).get(10, TimeUnit.SECONDS);
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof ObjectStoreException
                    && ((ObjectStoreException) e.getCause()).reason() == ObjectStoreException.Reason.NOT_FOUND;
        }
    }

    private static int cacheLines(URI cache) throws Exception {
        if (missing(cache)) {
            return 0;
        }
        String text = new String(store.get(cache).get(10, TimeUnit.SECONDS).bytes, StandardCharsets.UTF_8);
        return (int) text.lines().filter(line -> !line.isBlank()).count();
    }

    private static JsonNode reply(String log) throws IOException {
        List<String> lines = Files.readAllLines(tmp.resolve(log + ".log"), StandardCharsets.UTF_8);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(FaqBatchProcess.REPLY_PREFIX)) {
                return JSON.readTree(lines.get(i).substring(FaqBatchProcess.REPLY_PREFIX.length()));
            }
        }
        throw new AssertionError("no reply line in " + tmp.resolve(log + ".log"));
    }

    /** How often each question reached the upstream, read from the prompts it was sent. */
    private static Map<String, Integer> timesAsked(List<RecordedRequest> calls, List<String> questions) {
        Map<String, Integer> asked = new LinkedHashMap<>();
        for (String question : questions) {
            int n = 0;
            for (RecordedRequest call : calls) {
                n += call.body.contains("用户问题：" + question) ? 1 : 0;
            }
            asked.put(question, n);
        }
        return asked;
    }
}
