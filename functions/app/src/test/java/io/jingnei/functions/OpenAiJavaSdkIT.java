package io.jingnei.functions;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import io.jingnei.core.testing.Reply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The official openai-java SDK, unchanged but for its base URL, against the running app. */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstreamResource.class, restrictToAnnotatedClass = false)
class OpenAiJavaSdkIT {

    @BeforeEach
    void reset() {
        FakeUpstreamResource.upstream.reset();
    }

    private static OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder()
                .baseUrl("http://localhost:" + RestAssured.port + "/v1")
                .apiKey(key)
                .maxRetries(0)
                .build();
    }

    private static ChatCompletionCreateParams.Builder params() {
        return ChatCompletionCreateParams.builder().model("deepseek-v3.2").addUserMessage("你好");
    }

    @Test
    void a_non_streaming_completion_works_unchanged() {
        FakeUpstreamResource.upstream.enqueue(Reply.completion("您好！", 9, 3));

        ChatCompletion completion = client(FakeUpstreamResource.CLIENT_KEY).chat().completions().create(params().build());

        assertThat(completion.choices().get(0).message().content()).contains("您好！");
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(12);
    }

    @Test
    void a_streaming_completion_delivers_every_chunk_and_the_usage_it_asked_for() {
        FakeUpstreamResource.upstream.enqueue(Reply.stream(20, "退", "货", "流", "程"));

        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = client(FakeUpstreamResource.CLIENT_KEY).chat().completions()
                .createStreaming(params().streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            chunks = stream.stream().collect(Collectors.toList());
        }

        String text = chunks.stream().flatMap(c -> c.choices().stream())
                .map(choice -> choice.delta().content().orElse("")).collect(Collectors.joining());
        assertThat(text).isEqualTo("退货流程");
        assertThat(chunks.get(chunks.size() - 1).usage().orElseThrow().completionTokens()).isEqualTo(4);
    }

    @Test
    void models_are_listed() {
        List<String> ids = client(FakeUpstreamResource.CLIENT_KEY).models().list().data().stream().map(Model::id).collect(Collectors.toList());

        assertThat(ids).contains("deepseek-v3.2", "gpt-4.1");
    }

    @Test
    void errors_raise_the_sdk_exception_of_their_kind() {
        assertThatThrownBy(() -> client("ck-wrong").chat().completions().create(params().build()))
                .isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> client(FakeUpstreamResource.CLIENT_KEY).chat().completions().create(params().model("gpt-9").build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("gpt-9");
    }
}
