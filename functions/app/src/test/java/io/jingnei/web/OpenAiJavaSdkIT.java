package io.jingnei.web;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.core.JsonValue;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.testing.Reply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The official openai-java SDK, unchanged but for its base URL, against the running app. */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstreamResource.class, restrictToAnnotatedClass = false)
class OpenAiJavaSdkIT {
    @Inject
    JingneiInstance jingnei;

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

    @Test
    void a_model_is_retrieved_by_id_and_an_unknown_one_is_the_sdks_not_found() {
        Model model = client(FakeUpstreamResource.CLIENT_KEY).models().retrieve("gpt-4.1");

        assertThat(model.id()).isEqualTo("gpt-4.1");
        assertThatThrownBy(() -> client(FakeUpstreamResource.CLIENT_KEY).models().retrieve("gpt-9"))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("gpt-9");
    }

    @Test
    void embeddings_are_the_in_process_models_vectors_as_floats_and_as_base64() throws Exception {
        List<String> texts = List.of("退货运费谁承担？", "发票怎么开", "会员积分多久过期");
        List<float[]> expected = jingnei.rag().get(60, TimeUnit.SECONDS).embedder().embed(texts);

        for (EmbeddingCreateParams.EncodingFormat format
                : List.of(EmbeddingCreateParams.EncodingFormat.FLOAT, EmbeddingCreateParams.EncodingFormat.BASE64)) {
            CreateEmbeddingResponse response = client(FakeUpstreamResource.CLIENT_KEY).embeddings().create(
                    EmbeddingCreateParams.builder().model("bge-small-zh").inputOfArrayOfStrings(texts).encodingFormat(format).build());

            assertThat(response.data()).as(format.toString()).hasSize(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                List<Float> got = response.data().get(i).embedding();
                assertThat(response.data().get(i).index()).isEqualTo(i);
                assertThat(got).as(format + " vector " + i).hasSize(expected.get(i).length);
                for (int d = 0; d < got.size(); d++) {
                    assertThat(got.get(d)).as(format + " vector " + i + " dim " + d).isEqualTo(expected.get(i)[d]);
                }
            }
            assertThat(response.usage().promptTokens()).isPositive();
        }
        assertThat(FakeUpstreamResource.upstream.requests()).as("the text never left the instance").isEmpty();
    }

    @Test
    void embeddings_refuse_a_dimensions_the_local_model_cannot_give_and_echo_the_served_model() throws Exception {
        int served = jingnei.rag().get(60, TimeUnit.SECONDS).embedder().dimension();
        String servedModel = jingnei.rag().get(60, TimeUnit.SECONDS).embedder().modelId();

        assertThatThrownBy(() -> client(FakeUpstreamResource.CLIENT_KEY).embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").input("发票怎么开").dimensions(256L).build()))
                .isInstanceOfSatisfying(com.openai.errors.BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.param()).hasValue("dimensions");
                    assertThat(e.getMessage()).contains(String.valueOf(served));
                });
        CreateEmbeddingResponse asked = client(FakeUpstreamResource.CLIENT_KEY).embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").input("发票怎么开").dimensions((long) served).build());

        assertThat(asked.data().get(0).embedding()).hasSize(served);
        assertThat(asked.model()).as("the model that answered, not the one asked for").isEqualTo(servedModel);
    }

    @Test
    void a_three_megabyte_image_reaches_the_upstream_whole() {
        byte[] image = new byte[3 * 1024 * 1024];
        new java.util.Random(7).nextBytes(image);
        String dataUrl = "data:image/png;base64," + Base64.getEncoder().encodeToString(image);
        FakeUpstreamResource.upstream.enqueue(Reply.completion("这是一张测试图片。", 900, 8));

        ChatCompletion completion = client(FakeUpstreamResource.CLIENT_KEY).chat().completions().create(
                ChatCompletionCreateParams.builder().model("deepseek-v3.2").addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("图里是什么？").build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(dataUrl).build()).build())))
                        .build());

        assertThat(completion.choices().get(0).message().content().orElseThrow()).contains("测试图片");
        String forwarded = FakeUpstreamResource.upstream.completionRequests().get(0).json()
                .path("messages").path(0).path("content").path(1).path("image_url").path("url").asText();
        assertThat(forwarded).as("the image arrives upstream byte for byte").isEqualTo(dataUrl);
    }

    /** Strict: the SDK checks every field it requires, as it would of OpenAI's own answers. */
    private static OpenAIClient strictClient() {
        return OpenAIOkHttpClient.builder()
                .baseUrl("http://localhost:" + RestAssured.port + "/v1")
                .apiKey(FakeUpstreamResource.CLIENT_KEY)
                .maxRetries(0)
                .responseValidation(true)
                .build();
    }

    private static FunctionTool weatherTool() {
        return FunctionTool.builder().name("get_weather").strict(true)
                .parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(java.util.Map.of("city", java.util.Map.of("type", "string"))))
                        .build())
                .build();
    }

    @Test
    void the_responses_api_answers_text_as_a_response_object() {
        FakeUpstreamResource.upstream.enqueue(Reply.completion("您好！", 9, 3));

        Response response = strictClient().responses().create(ResponseCreateParams.builder()
                .model("deepseek-v3.2").instructions("用中文回答").input("你好").maxOutputTokens(200).build());

        assertThat(response.id()).startsWith("resp_");
        String text = response.output().stream().flatMap(item -> item.message().stream())
                .flatMap(message -> message.content().stream()).flatMap(content -> content.outputText().stream())
                .map(t -> t.text()).collect(Collectors.joining());
        assertThat(text).isEqualTo("您好！");
        assertThat(response.usage().orElseThrow().totalTokens()).isEqualTo(12);
        assertThat(FakeUpstreamResource.upstream.completionRequests().get(0).json().path("max_tokens").asInt()).isEqualTo(200);
    }

    @Test
    void the_responses_api_streams_text_deltas_and_completes_with_usage() {
        FakeUpstreamResource.upstream.enqueue(Reply.stream(20, "退", "货", "流", "程"));

        StringBuilder text = new StringBuilder();
        Response completed;
        try (StreamResponse<ResponseStreamEvent> stream = strictClient().responses().createStreaming(ResponseCreateParams.builder()
                .model("deepseek-v3.2").input("退货流程？").build())) {
            List<ResponseStreamEvent> events = stream.stream().collect(Collectors.toList());
            events.forEach(e -> e.outputTextDelta().ifPresent(d -> text.append(d.delta())));
            completed = events.get(events.size() - 1).completed().orElseThrow().response();
        }

        assertThat(text.toString()).isEqualTo("退货流程");
        assertThat(completed.usage().orElseThrow().outputTokens()).isEqualTo(4);
    }

    @Test
    void a_function_call_goes_out_as_an_output_item_and_its_output_comes_back_as_a_tool_message() {
        FakeUpstreamResource.upstream.enqueue(ResponsesFixtures.toolCallCompletion(), Reply.completion("北京现在3°C。", 40, 8));
        OpenAIClient client = strictClient();

        Response asked = client.responses().create(ResponseCreateParams.builder().model("deepseek-v3.2").input("北京天气？")
                .addTool(weatherTool()).build());
        ResponseFunctionToolCall call = asked.output().stream().flatMap(item -> item.functionCall().stream()).findFirst().orElseThrow();
        Response answered = client.responses().create(ResponseCreateParams.builder().model("deepseek-v3.2").addTool(weatherTool())
                .inputOfResponse(List.of(
                        ResponseInputItem.ofFunctionCall(call),
                        ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                                .callId(call.callId()).output("{\"temp\":\"3°C\"}").build())))
                .build());

        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.arguments()).isEqualTo("{\"city\":\"北京\"}");
        assertThat(answered.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text())
                .isEqualTo("北京现在3°C。");
        com.fasterxml.jackson.databind.JsonNode sent = FakeUpstreamResource.upstream.completionRequests().get(1).json();
        assertThat(sent.path("messages").path(0).path("tool_calls").path(0).path("id").asText()).isEqualTo(call.callId());
        assertThat(sent.path("messages").path(1).path("role").asText()).isEqualTo("tool");
        assertThat(sent.path("messages").path(1).path("tool_call_id").asText()).isEqualTo(call.callId());
    }

    @Test
    void previous_response_id_is_the_sdks_bad_request_naming_the_param_a_wrong_key_is_unauthorized_and_nothing_goes_upstream() {
        assertThatThrownBy(() -> strictClient().responses().create(ResponseCreateParams.builder().model("deepseek-v3.2").input("继续")
                .previousResponseId("resp_earlier").build()))
                .isInstanceOf(BadRequestException.class)
                .satisfies(e -> assertThat(((BadRequestException) e).param()).contains("previous_response_id"))
                .hasMessageContaining("send the whole conversation as 'input'");
        assertThatThrownBy(() -> client("ck-wrong").responses().create(ResponseCreateParams.builder().model("deepseek-v3.2").input("你好").build()))
                .as("the same credentials as chat completions").isInstanceOf(UnauthorizedException.class);
        assertThat(FakeUpstreamResource.upstream.requests()).isEmpty();
    }
}
