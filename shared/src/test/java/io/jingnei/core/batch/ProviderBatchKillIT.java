package io.jingnei.core.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.config.Env;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.storage.ObjectStoreException;
import io.jingnei.core.testing.FakeBatchApi;
import io.jingnei.core.testing.FakeUpstream;
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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * faq-batch in batch mode in its own JVM, killed with SIGKILL while it creates the provider batch
 * (once before the provider made it, once after), then carried on by another instance: one
 * upload, one batch, a complete output.
 */
class ProviderBatchKillIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUESTIONS = "{\"id\":\"q1\",\"question\":\"退货要多久能到账？\"}\n{\"id\":\"q2\",\"question\":\"发票怎么开\"}\n"
            + "{\"id\":\"q3\",\"question\":\"忘记密码了怎么办\"}\n";

    private static S3ProxyServer s3;
    private static FakeUpstream upstream;
    private static Path tmp;

    @BeforeAll
    static void start() throws IOException {
        s3 = S3ProxyServer.start("jingnei-faq");
        upstream = FakeUpstream.start();
        tmp = Files.createTempDirectory("provider-batch-kill-");
    }

    @AfterAll
    static void stop() {
        upstream.close();
        s3.close();
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(s3.env());
        env.put("JINGNEI_LLM_BASE_URL", upstream.baseUrl());
        env.put("JINGNEI_LLM_API_KEY", FakeUpstream.KEY);
        env.put("JINGNEI_CACHE", "off");
        env.put("JINGNEI_RAG_MIN_CONFIDENCE", "0");
        env.put("JINGNEI_FAQ_BASE_URI", "s3://jingnei-faq/");
        env.put("JINGNEI_FAQ_MODE", "batch");
        env.put("JINGNEI_FAQ_BATCH_LEASE", "1s"); // the killed instance's claim runs out quickly here
        return env;
    }

    @Test
    void killed_before_the_provider_made_the_batch_the_next_instance_makes_exactly_one() throws Exception {
        killedWhileCreating("k1", false);
    }

    @Test
    void killed_after_the_provider_made_the_batch_the_next_instance_adopts_it_instead_of_making_another() throws Exception {
        killedWhileCreating("k2", true);
    }

    private void killedWhileCreating(String name, boolean afterCreating) throws Exception {
        FakeBatchApi api = new FakeBatchApi().holdCreates(afterCreating);
        upstream.batchApi(api);
        try (JingneiInstance instance = JingneiInstance.boot(Env.of(env()), TimeSource.system(), new CallLog(line -> { }), Optional::empty)) {
            instance.store().put(URI.create("s3://jingnei-faq/faq-batch/in/" + name + ".jsonl"), QUESTIONS.getBytes(StandardCharsets.UTF_8),
                    "application/x-ndjson").get(10, TimeUnit.SECONDS);
            URI state = URI.create("s3://jingnei-faq/faq-batch/out/" + name + ".jsonl.batch.json");

            Process first = batch(name);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!recordsUpload(instance, state)) {
                assertThat(first.isAlive()).as("the first instance is still submitting; log in " + tmp).isTrue();
                assertThat(System.nanoTime()).as("the upload is recorded within 90 s").isLessThan(end);
                Thread.sleep(20);
            }
            Thread.sleep(200); // now it waits on the held batch creation
            first.destroyForcibly(); // SIGKILL: nothing more is written
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).isEqualTo(128 + 9);
            api.releaseCreates();
            Thread.sleep(1_100); // past the killed instance's lease

            Object step = instance.batch().call(new FaqBatchRequest("faq-batch/in/" + name + ".jsonl", null), instance.rag().get(60, TimeUnit.SECONDS),
                    new CallContext("resume", "faq-batch", null), new ExecutorMapper());
            for (int i = 0; i < 5 && step instanceof BatchProgress; i++) {
                step = instance.batch().call(new FaqBatchRequest("faq-batch/in/" + name + ".jsonl", null), instance.rag().get(60, TimeUnit.SECONDS),
                        new CallContext("poll-" + i, "faq-batch", null), new ExecutorMapper());
            }

            assertThat(step).isInstanceOf(BatchSummary.class);
            assertThat(api.uploads()).as("the uploaded file is reused").hasSize(1);
            assertThat(api.batchesCreated()).as("exactly one provider batch").isEqualTo(1);
            String output = new String(instance.store().get(URI.create("s3://jingnei-faq/faq-batch/out/" + name + ".jsonl"))
                    .get(10, TimeUnit.SECONDS).bytes, StandardCharsets.UTF_8);
            assertThat(output.split("\n")).hasSize(3).allSatisfy(line -> assertThat(parse(line).path("status").asText()).isEqualTo("success"));
        }
    }

    private static boolean recordsUpload(JingneiInstance instance, URI state) throws Exception {
        try {
            JsonNode node = JSON.readTree(instance.store().get(state).get(10, TimeUnit.SECONDS).bytes);
            return node.path("parts").path(0).path("file_id").isTextual();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof ObjectStoreException && ((ObjectStoreException) e.getCause()).reason() == ObjectStoreException.Reason.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The faq-batch function instance in its own JVM, as FC's java11 runtime runs it, configured by environment. */
    private static Process batch(String name) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                FaqBatchProcess.class.getName(), "s3://jingnei-faq/faq-batch/in/" + name + ".jsonl")
                .redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".log").toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("JINGNEI_") || key.startsWith("HOLYSHEEP_") || key.startsWith("AWS_")
                || key.startsWith("ALIBABA_CLOUD_") || key.startsWith("TENCENTCLOUD_") || key.startsWith("FC_"));
        builder.environment().putAll(env());
        return builder.start();
    }
}
