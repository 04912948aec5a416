package io.jingnei.web;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Reply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.jingnei.web.FakeUpstreamResource.CLIENT_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * LangChain4j, Spring AI and curl, as users run them, against a stream the upstream drops mid-way.
 * The frameworks ignore an in-band error event, so only an abnormal end of the body makes them
 * report a failure instead of a truncated answer as complete (issue 22). The whole stream still
 * works for them.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstreamResource.class, restrictToAnnotatedClass = false)
class JavaFrameworksIT {
    private static final String MODEL = "deepseek-v3.2";

    FakeUpstream upstream;

    @BeforeEach
    void reset() {
        upstream = FakeUpstreamResource.upstream;
        upstream.reset();
    }

    private static Reply dropped() {
        return Reply.stream(10, "一", "二", "三", "四", "五", "六").resetAfter(3);
    }

    @Test
    void langchain4j_streaming_model_gets_on_error_when_the_upstream_drops_mid_stream() throws Exception {
        upstream.enqueue(dropped());

        Outcome outcome = langchain4j("hi");

        // Before the fix only onCompleteResponse came, with the truncated text. LangChain4j 1.19 calls
        // onCompleteResponse after onError on a cut body too (its JDK client closes the listener either
        // way), exactly as it does direct to an upstream that drops: what matters is that onError comes.
        assertThat(outcome.error.get(30, TimeUnit.SECONDS)).isNotNull();
        assertThat(upstream.completionRequests()).hasSize(1);
    }

    @Test
    void langchain4j_streaming_model_completes_a_whole_stream() throws Exception {
        upstream.enqueue(Reply.stream(5, "退", "货"));

        Outcome outcome = langchain4j("hi");

        assertThat(outcome.completed.get(30, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("退货");
        assertThat(outcome.error).isNotDone();
    }

    @Test
    void spring_ai_flux_errors_when_the_upstream_drops_mid_stream() {
        upstream.enqueue(dropped());

        assertThatThrownBy(() -> springAi().stream(new Prompt("hi")).collectList().block(java.time.Duration.ofSeconds(30)))
                .isNotNull();
        assertThat(upstream.completionRequests()).hasSize(1);
    }

    @Test
    void spring_ai_flux_completes_a_whole_stream() {
        upstream.enqueue(Reply.stream(5, "退", "货"));

        List<org.springframework.ai.chat.model.ChatResponse> responses =
                springAi().stream(new Prompt("hi")).collectList().block(java.time.Duration.ofSeconds(30));

        String text = responses.stream().filter(r -> r.getResult() != null && r.getResult().getOutput().getText() != null)
                .map(r -> r.getResult().getOutput().getText()).collect(Collectors.joining());
        assertThat(text).isEqualTo("退货");
    }

    @Test
    void curl_exits_non_zero_when_the_upstream_drops_mid_stream_and_zero_on_a_whole_stream() throws Exception {
        upstream.enqueue(dropped(), Reply.stream(5, "退", "货"));

        Curl dropped = curl();
        Curl whole = curl();

        assertThat(dropped.exitCode).as(dropped.output).isNotZero();
        assertThat(dropped.output).contains("\"error\"").doesNotContain("[DONE]");
        assertThat(whole.exitCode).as(whole.output).isZero();
        assertThat(whole.output).contains("[DONE]");
    }

    private static final class Outcome {
        final CompletableFuture<ChatResponse> completed = new CompletableFuture<>();
        final CompletableFuture<Throwable> error = new CompletableFuture<>();
    }

    private static Outcome langchain4j(String question) {
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder()
                .baseUrl("http://localhost:" + RestAssured.port + "/v1")
                .apiKey(CLIENT_KEY)
                .modelName(MODEL)
                .build();
        Outcome outcome = new Outcome();
        model.chat(question, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partialResponse) {
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                outcome.completed.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                outcome.error.complete(error);
            }
        });
        return outcome;
    }

    private static OpenAiChatModel springAi() {
        OpenAiApi api = OpenAiApi.builder().baseUrl("http://localhost:" + RestAssured.port).apiKey(CLIENT_KEY).build();
        return OpenAiChatModel.builder().openAiApi(api).defaultOptions(OpenAiChatOptions.builder().model(MODEL).build()).build();
    }

    private static final class Curl {
        final int exitCode;
        final String output;

        Curl(int exitCode, String output) {
            this.exitCode = exitCode;
            this.output = output;
        }
    }

    private static Curl curl() throws Exception {
        Process process = new ProcessBuilder("curl", "-N", "-sS", "--max-time", "30",
                "-H", "Authorization: Bearer " + CLIENT_KEY, "-H", "Content-Type: application/json",
                "-d", "{\"model\":\"" + MODEL + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "http://localhost:" + RestAssured.port + "/v1/chat/completions").redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = process.getInputStream()) {
            in.transferTo(out);
        }
        return new Curl(process.waitFor(), out.toString(StandardCharsets.UTF_8));
    }
}
