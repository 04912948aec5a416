package io.jingnei.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.testing.Reply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The official {@code openai} npm client against the running app, as a Node user would call it. */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstreamResource.class, restrictToAnnotatedClass = false)
class OpenAiNodeSdkIT {
    private static final File DIR = new File("src/test/node");
    @Inject
    JingneiInstance jingnei;

    @BeforeAll
    static void install() throws Exception {
        if (!new File(DIR, "node_modules/openai").isDirectory() || !new File(DIR, "node_modules/puppeteer-core").isDirectory()) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
        }
    }

    @Test
    void the_npm_client_streams_ten_chunks_spread_as_sent_gets_usage_models_and_embeddings_and_completes() throws Exception {
        FakeUpstreamResource.upstream.reset();
        FakeUpstreamResource.upstream.enqueue(
                Reply.stream(100, "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"),
                Reply.completion("您好！", 5, 2));

        String out = run(List.of("node", "sdk-check.mjs", "http://localhost:" + RestAssured.port + "/v1",
                FakeUpstreamResource.CLIENT_KEY), 60);

        JsonNode result = new ObjectMapper().readTree(out);
        assertThat(result.path("models").toString()).contains("deepseek-v3.2");
        assertThat(result.path("model").asText()).isEqualTo("deepseek-v3.2");
        assertThat(result.path("unknownModel").path("status").asInt()).isEqualTo(404);
        assertThat(result.path("unknownModel").path("message").asText()).contains("gpt-9");
        List<float[]> expected = jingnei.rag().get(60, TimeUnit.SECONDS).embedder().embed(List.of("退货运费谁承担？", "发票怎么开"));
        assertThat(result.path("embeddings")).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonNode got = result.path("embeddings").get(i);
            assertThat(got).hasSize(expected.get(i).length);
            for (int d = 0; d < got.size(); d++) {
                assertThat((float) got.get(d).asDouble()).as("vector " + i + " dim " + d).isEqualTo(expected.get(i)[d]);
            }
        }
        assertThat(result.path("chunks").asInt()).isEqualTo(10);
        assertThat(result.path("text").asText()).isEqualTo("12345678910");
        List<Integer> gaps = new ArrayList<>();
        result.path("gaps").forEach(g -> gaps.add(g.asInt()));
        gaps.sort(Integer::compare);
        assertThat(gaps.get(gaps.size() / 2)).as("median gap, ms; all gaps: " + gaps).isBetween(60, 250);
        assertThat(result.path("usage").path("completion_tokens").asInt()).isEqualTo(10);
        assertThat(result.path("content").asText()).isEqualTo("您好！");
    }

    static String run(List<String> command, int timeoutSeconds) throws Exception {
        Process process = new ProcessBuilder(command).directory(DIR).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s");
        }
        assertThat(process.exitValue()).as(String.join(" ", command) + " exit code").isZero();
        return new String(out, StandardCharsets.UTF_8).trim();
    }
}
