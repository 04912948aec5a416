package io.jingnei.web;

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
        if (!new File(DIR, "node_modules/openai").isDirectory() || !new File(DIR, "node_modules/puppeteer-core").isDirectory()
                || !new File(DIR, "node_modules/ajv").isDirectory()) {
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

    @Test
    void the_npm_client_calls_the_responses_api_text_streams_tools_and_refusals_and_every_object_passes_the_spec() throws Exception {
        FakeUpstreamResource.upstream.reset();
        FakeUpstreamResource.clearOutput();
        FakeUpstreamResource.upstream.enqueue(
                Reply.completion("您好！", 9, 3),
                Reply.stream(20, "退", "货", "流", "程"),
                Reply.stream(20, "一", "二", "三"),
                ResponsesFixtures.toolCallCompletion(),
                Reply.completion("北京现在3°C。", 40, 8),
                ResponsesFixtures.toolCallStream(),
                Reply.stream(20, "从前", "有座山", "山里有座庙").resetAfter(3));

        JsonNode result = new ObjectMapper().readTree(run(List.of("node", "responses-check.mjs",
                "http://localhost:" + RestAssured.port + "/v1", FakeUpstreamResource.CLIENT_KEY), 60));

        assertThat(result.path("invalid")).as("objects and events the OpenAI spec refuses: " + result.path("invalid")).isEmpty();
        JsonNode created = result.path("created");
        assertThat(created.path("id").asText()).startsWith("resp_");
        assertThat(created.path("object").asText()).isEqualTo("response");
        assertThat(created.path("status").asText()).isEqualTo("completed");
        assertThat(created.path("outputText").asText()).isEqualTo("您好！");
        assertThat(created.path("usage").path("total_tokens").asInt()).isEqualTo(12);
        JsonNode firstCall = FakeUpstreamResource.upstream.completionRequests().get(0).json();
        assertThat(firstCall.path("messages").toString())
                .isEqualTo("[{\"role\":\"system\",\"content\":\"用中文回答\"},{\"role\":\"user\",\"content\":\"你好\"}]");

        assertThat(result.path("rawText").asText()).isEqualTo("退货流程");
        List<String> types = new ArrayList<>();
        result.path("rawTypes").forEach(t -> types.add(t.asText()));
        assertThat(types).startsWith("response.created", "response.in_progress", "response.output_item.added", "response.content_part.added")
                .endsWith("response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed");
        assertThat(types.stream().filter("response.output_text.delta"::equals)).hasSize(4);
        assertThat(result.path("helperText").asText()).isEqualTo("一二三");
        assertThat(result.path("helperFinal").path("outputText").asText()).isEqualTo("一二三");
        assertThat(result.path("helperFinal").path("usage").path("output_tokens").asInt()).isEqualTo(3);

        assertThat(result.path("call").path("call_id").asText()).isEqualTo("call_weather_1");
        assertThat(result.path("call").path("arguments").asText()).isEqualTo("{\"city\":\"北京\"}");
        JsonNode followUp = FakeUpstreamResource.upstream.completionRequests().get(4).json();
        assertThat(followUp.path("messages").path(1).path("tool_calls").path(0).path("id").asText()).isEqualTo("call_weather_1");
        assertThat(followUp.path("messages").path(2).toString())
                .isEqualTo("{\"role\":\"tool\",\"tool_call_id\":\"call_weather_1\",\"content\":\"{\\\"temp\\\":\\\"3°C\\\"}\"}");
        assertThat(followUp.path("tools").path(0).path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(result.path("answeredText").asText()).isEqualTo("北京现在3°C。");
        assertThat(result.path("toolEvents").toString()).contains("response.function_call_arguments.delta", "response.function_call_arguments.done");
        assertThat(result.path("toolFinalCall").path("arguments").asText()).isEqualTo("{\"city\":\"上海\"}");

        assertThat(result.path("previous").path("status").asInt()).isEqualTo(400);
        assertThat(result.path("previous").path("param").asText()).isEqualTo("previous_response_id");
        assertThat(result.path("previous").path("message").asText()).contains("send the whole conversation as 'input'");

        assertThat(result.path("brokenTypes").toString()).contains("response.created", "response.failed");
        assertThat(result.path("broken").isObject()).as("the npm client raises on a broken stream").isTrue();

        assertThat(FakeUpstreamResource.upstream.completionRequests()).as("the refused call never went upstream").hasSize(7);
        List<String> logged = FakeUpstreamResource.output().lines().filter(l -> l.startsWith("{") && l.contains("\"function\":\"responses\""))
                .collect(java.util.stream.Collectors.toList());
        assertThat(logged).as("one log line per call, as on chat completions").hasSize(8);
        assertThat(logged.get(0)).contains("\"status\":\"success\"", "\"cost_usd\"", "\"total_tokens\":12");
        assertThat(logged.stream().filter(l -> l.contains("\"status\":\"invalid_request\""))).hasSize(1);
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
