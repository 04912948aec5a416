package io.jingnei.core.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.config.Env;
import io.jingnei.core.embed.Embedder;
import io.jingnei.core.index.Chunk;
import io.jingnei.core.index.IndexFormat;
import io.jingnei.core.storage.FileObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EvalCliTest {
    @TempDir
    Path dir;

    /** Vectors from character counts: enough for a small index whose right answers share characters with the questions. */
    static final class CharacterEmbedder implements Embedder {
        @Override
        public String modelId() {
            return "chars";
        }

        @Override
        public int dimension() {
            return 64;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            List<float[]> out = new ArrayList<>();
            for (String text : texts) {
                float[] v = new float[64];
                text.chars().forEach(c -> v[c % 64] += 1);
                out.add(Embedder.normalise(v));
            }
            return out;
        }
    }

    private int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        return EvalCli.run(args, Env.of(Map.of()), new FileObjectStore(), CharacterEmbedder::new,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** An index of these chunks, embedded by the test's 64-dimension character embedder. */
    private Path index(String name, List<Chunk> chunks) throws Exception {
        List<float[]> vectors = new CharacterEmbedder().embed(chunks.stream().map(c -> c.text).collect(java.util.stream.Collectors.toList()));
        float[] flat = new float[chunks.size() * 64];
        for (int i = 0; i < chunks.size(); i++) {
            System.arraycopy(vectors.get(i), 0, flat, i * 64, 64);
        }
        return Files.write(dir.resolve(name), IndexFormat.write(flat, 64, chunks, "chars", false));
    }

    @Test
    void prints_the_figures_as_json_for_a_small_index() throws Exception {
        List<Chunk> chunks = List.of(
                new Chunk("refund", 0, "退款原路退回，一般三到五个工作日到账。", "{\"title\":\"退款到账时间\"}"),
                new Chunk("invoice", 0, "在订单详情页申请电子发票。", "{\"title\":\"开发票\"}"),
                new Chunk("puk", 0, "输错三次PIN码后需要PUK码解锁。", "{\"title\":\"PUK码\"}"));
        Path index = index("kb.jnix", chunks);
        Path queries = Files.writeString(dir.resolve("q.jsonl"), "{\"q\":\"退款几天到账\",\"expected\":[\"refund\"]}\n"
                + "{\"q\":\"PUK码是什么\",\"expected\":[\"puk\"]}\n");
        Path oos = Files.writeString(dir.resolve("oos.jsonl"), "{\"q\":\"今天天气怎么样\",\"near\":false}\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = run(out, err, "--index", index.toString(), "--queries", queries.toString(), "--oos", oos.toString(), "--json");

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode report = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(report.path("in_scope").asInt()).isEqualTo(2);
        assertThat(report.path("out_of_scope").asInt()).isEqualTo(1);
        assertThat(report.path("hit_at_1").asDouble()).isEqualTo(1.0);
        assertThat(report.path("hit_at_3").asDouble()).isEqualTo(1.0);
        assertThat(report.path("mrr_at_10").asDouble()).isEqualTo(1.0);
        assertThat(report.has("answered_at_default")).isTrue();
        assertThat(report.has("far_rejected")).isTrue();
        assertThat(report.path("rule").path("min_confidence").asDouble()).isEqualTo(RejectionRule.DEFAULT_MIN_CONFIDENCE);
        assertThat(report.path("sweep").size()).isEqualTo(RetrievalEval.SWEEP.length);
        assertThat(report.path("sweep").get(0).path("min_confidence").asDouble()).isZero();
        assertThat(report.path("sweep").get(0).path("answered").asDouble()).as("no bar: both answered right").isEqualTo(1.0);
        assertThat(report.path("worst_misses").isArray()).isTrue();
    }

    @Test
    void prints_a_readable_report_by_default_and_a_bad_setting_is_a_failure_not_a_stack_trace() throws Exception {
        List<Chunk> chunks = List.of(
                new Chunk("refund", 0, "退款原路退回，一般三到五个工作日到账。", "{\"title\":\"退款到账时间\"}"),
                new Chunk("puk", 0, "输错三次PIN码后需要PUK码解锁。", "{\"title\":\"PUK码\"}"));
        Path index = index("text.jnix", chunks);
        Path queries = Files.writeString(dir.resolve("text-q.jsonl"), "{\"q\":\"退款几天到账\",\"expected\":[\"refund\"]}\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        assertThat(run(out, err, "--index", index.toString(), "--queries", queries.toString())).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("1 in-scope and 0 out-of-scope questions").contains("hit@1").contains("MRR@10")
                .contains("confidence bar | answered");

        ByteArrayOutputStream badErr = new ByteArrayOutputStream();
        int status = EvalCli.run(new String[] {"--index", index.toString(), "--queries", queries.toString()},
                Env.of(Map.of("JINGNEI_RAG_MIN_CONFIDENCE", "lots")), new FileObjectStore(), CharacterEmbedder::new,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(badErr, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(1);
        assertThat(badErr.toString(StandardCharsets.UTF_8)).contains("eval failed").contains("JINGNEI_RAG_MIN_CONFIDENCE").doesNotContain("\tat ");
    }

    @Test
    void a_missing_argument_is_a_usage_error_and_a_missing_index_a_failure() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        assertThat(run(out, err, "--queries", "q.jsonl")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--index and --queries are required").contains("usage:");

        assertThat(run(out, err, "--index", dir.resolve("none.jnix").toString(), "--queries", dir.resolve("q.jsonl").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("eval failed");
    }
}
