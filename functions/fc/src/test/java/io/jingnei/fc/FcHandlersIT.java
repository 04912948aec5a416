package io.jingnei.fc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.testing.CodePackage;
import io.jingnei.core.testing.Events;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.HandlerBackends;
import io.jingnei.core.testing.Reply;
import io.jingnei.core.testing.S3ProxyServer;
import io.jingnei.core.util.TimeSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;

import static io.jingnei.core.testing.HandlerBackends.CLIENT_KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged FC code zip, loaded in a class loader of its own as the java11 runtime does:
 * initializer first, then the handler with the sample trigger events. One instance (loader) serves
 * every function here: what an instance loads is decided by its configuration, not by which
 * trigger comes first, and a JVM loads the tokenizer's native library into one loader only.
 */
class FcHandlersIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static CodePackage code;
    private static HandlerBackends backends;
    private static FakeUpstream upstream;
    private static S3ProxyServer s3;
    private static ClassLoader instance;

    @BeforeAll
    static void start() throws Exception {
        code = CodePackage.unzip(Paths.get("target/jingnei-fc.zip"));
        backends = new HandlerBackends("jingnei-faq", "oss://jingnei-faq/");
        upstream = backends.upstream;
        s3 = backends.s3;
        instance = code.newLoader();
        // The runtime's threads do not carry the function's class loader; the test's own would hide
        // missing resources behind its class path.
        Thread.currentThread().setContextClassLoader(ClassLoader.getPlatformClassLoader());
    }

    @AfterAll
    static void stop() {
        backends.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    /** Initializer, then handler; returns what the handler wrote. */
    private static JsonNode invoke(ClassLoader loader, String handler, byte[] event) throws Exception {
        Object function = loader.loadClass(handler).getDeclaredConstructor().newInstance();
        String requestId = "req-" + handler.substring(handler.lastIndexOf('.') + 1);
        FcRuntime.initialize(loader, function, requestId);
        return JSON.readTree(FcRuntime.handle(loader, function, event, requestId));
    }

    private static Object context(ClassLoader loader, String requestId) throws Exception {
        return FcRuntime.context(loader, requestId);
    }

    private static JsonNode body(JsonNode response) throws Exception {
        return JSON.readTree(response.path("body").asText());
    }

    @Test
    void chat_answers_the_base64_http_trigger_event_with_200_and_the_answer() throws Exception {
        upstream.enqueue(Reply.completion("您的订单将在48小时内发货。", 30, 12));

        JsonNode response = invoke(instance, "io.jingnei.fc.ChatHandler", HandlerBackends.withAuthorization("fc3-http-trigger-base64.json", CLIENT_KEY));

        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        assertThat(response.path("isBase64Encoded").asBoolean()).isFalse();
        JsonNode body = body(response);
        assertThat(body.path("status").asText()).isEqualTo("success");
        assertThat(body.path("content").asText()).isEqualTo("您的订单将在48小时内发货。");
        assertThat(body.path("request_id").asText()).isEqualTo("req-ChatHandler");
        String asked = upstream.completionRequests().get(0).json().path("messages").get(1).path("content").asText();
        assertThat(asked).contains("什么时候能发货");
    }

    @Test
    void rag_query_loads_model_and_index_in_the_initializer_and_answers_with_sources() throws Exception {
        upstream.enqueue(Reply.completion("请在订单页申请售后。", 200, 20));

        JsonNode response = invoke(instance, "io.jingnei.fc.RagQueryHandler", HandlerBackends.withAuthorization("fc3-http-trigger.json", CLIENT_KEY));

        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        JsonNode body = body(response);
        assertThat(body.path("status").asText()).isEqualTo("success");
        assertThat(body.path("sources").findValuesAsText("id")).contains("return-how");
    }

    @Test
    void the_http_handlers_refuse_calls_without_credentials_wrong_methods_and_deep_nesting_in_json() throws Exception {
        JsonNode anonymous = invoke(instance, "io.jingnei.fc.ChatHandler", Events.bytes("fc3-http-trigger-base64.json"));
        assertThat(anonymous.path("statusCode").asInt()).isEqualTo(401);
        assertThat(body(anonymous).path("status").asText()).isEqualTo("unauthorized");

        String deep = "{\"query\":\"hi\",\"x\":" + "[".repeat(2000) + "]".repeat(2000) + "}";
        JsonNode nested = invoke(instance, "io.jingnei.fc.ChatHandler", HandlerBackends.withBody("fc3-http-trigger.json", deep));
        assertThat(nested.path("statusCode").asInt()).isEqualTo(400);
        assertThat(body(nested).path("error").asText()).contains("nested too deeply");

        byte[] wholeEventNested = ("{\"body\":" + "[".repeat(3000) + "]".repeat(3000) + "}").getBytes();
        JsonNode badEvent = invoke(instance, "io.jingnei.fc.ChatHandler", wholeEventNested);
        assertThat(badEvent.path("statusCode").asInt()).isEqualTo(400);

        String get = new String(HandlerBackends.withAuthorization("fc3-http-trigger.json", CLIENT_KEY)).replace("\"POST\"", "\"GET\"");
        JsonNode wrongMethod = invoke(instance, "io.jingnei.fc.RagQueryHandler", get.getBytes());
        assertThat(wrongMethod.path("statusCode").asInt()).isEqualTo(405);
        assertThat(wrongMethod.path("headers").path("Allow").asText()).isEqualTo("POST");

        com.fasterxml.jackson.databind.node.ObjectNode notBase64 = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(HandlerBackends.withAuthorization("fc3-http-trigger-base64.json", CLIENT_KEY));
        notBase64.put("isBase64Encoded", true).put("body", "%%% not base64 %%%");
        JsonNode badBody = invoke(instance, "io.jingnei.fc.ChatHandler", notBase64.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(badBody.path("statusCode").asInt()).as("a clear JSON error, not a bare exception").isEqualTo(400);
        assertThat(body(badBody).path("status").asText()).isEqualTo("invalid_request");

        assertThat(upstream.completionRequests()).isEmpty();
    }

    @Test
    void on_fc_without_any_credential_setting_the_http_functions_are_closed() throws Exception {
        Map<String, String> platformWithoutKeys = new HashMap<>();
        platformWithoutKeys.put("FC_FUNCTION_NAME", "jingnei-chat");
        platformWithoutKeys.put("JINGNEI_CLIENT_KEYS", null);
        platformWithoutKeys.put("JINGNEI_RAG_ENABLED", "false");
        HandlerBackends.with(platformWithoutKeys, () -> {
            JsonNode response = invoke(code.newLoader(), "io.jingnei.fc.ChatHandler", Events.bytes("fc3-http-trigger-base64.json"));

            assertThat(response.path("statusCode").asInt()).isEqualTo(401);
            assertThat(body(response).path("error").asText()).contains("JINGNEI_CLIENT_KEYS").contains("JINGNEI_AUTH=none");
        });
        assertThat(upstream.completionRequests()).isEmpty();
    }

    @Test
    void an_oss_object_created_event_runs_a_batch_and_writes_answers_beside_it() throws Exception {
        put("faq-batch/in/2026-11-11.jsonl", "{\"id\":\"1\",\"question\":\"发票怎么开\"}\n{\"id\":\"2\",\"question\":\"怎么做红烧肉\"}\n");

        JsonNode summary = invoke(instance, "io.jingnei.fc.FaqBatchHandler", Events.bytes("fc-oss-object-created.json"));

        assertThat(summary.path("status").asText()).isEqualTo("success");
        assertThat(summary.path("output").asText()).isEqualTo("oss://jingnei-faq/faq-batch/out/2026-11-11.jsonl");
        assertThat(summary.path("questions").asInt()).isEqualTo(2);
        assertThat(summary.path("by_status").path("no_context").asInt()).isEqualTo(1);
    }

    @Test
    void an_object_created_event_for_a_bucket_outside_the_allow_list_is_skipped() throws Exception {
        String event = Events.text("fc-oss-object-created.json").replace("\"name\": \"jingnei-faq\"", "\"name\": \"someone-else\"");

        JsonNode reply = invoke(instance, "io.jingnei.fc.FaqBatchHandler", event.getBytes());

        assertThat(reply.path("status").asText()).isEqualTo("skipped");
        assertThat(reply.path("reason").asText()).contains("JINGNEI_STORAGE_ALLOW");
        assertThat(upstream.completionRequests()).isEmpty();
    }

    @Test
    void a_timer_event_runs_the_batch_its_payload_names() throws Exception {
        put("faq-batch/in/nightly.jsonl", "{\"id\":\"n1\",\"question\":\"忘记密码了怎么办\"}\n");

        JsonNode summary = invoke(instance, "io.jingnei.fc.FaqBatchHandler", Events.bytes("fc-timer.json"));

        assertThat(summary.path("status").asText()).isEqualTo("success");
        assertThat(summary.path("output").asText()).isEqualTo("oss://jingnei-faq/faq-batch/out/nightly.jsonl");
    }

    @Test
    void a_failed_boot_is_reported_on_every_call_with_its_cause() throws Exception {
        HandlerBackends.with(Map.of("JINGNEI_LLM_MAX_RETRIES", "lots"), () -> {
            ClassLoader loader = code.newLoader();
            Class<?> type = loader.loadClass("io.jingnei.fc.ChatHandler");
            Object function = type.getDeclaredConstructor().newInstance();
            Object context = context(loader, "req-boot");
            Class<?> contextType = loader.loadClass("com.aliyun.fc.runtime.Context");
            try {
                type.getMethod("initialize", contextType).invoke(function, context);
            } catch (java.lang.reflect.InvocationTargetException expected) {
                assertThat(expected.getCause()).hasMessageContaining("JINGNEI_LLM_MAX_RETRIES");
            }
            for (int call = 0; call < 2; call++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                type.getMethod("handleRequest", InputStream.class, OutputStream.class, contextType)
                        .invoke(function, new ByteArrayInputStream(Events.bytes("fc3-http-trigger-base64.json")), out, context);
                JsonNode response = JSON.readTree(out.toByteArray());
                assertThat(response.path("statusCode").asInt()).isEqualTo(503);
                assertThat(response.path("body").asText()).contains("boot_failed").contains("JINGNEI_LLM_MAX_RETRIES");
            }
        });
    }

    @Test
    void every_class_in_the_package_loads_on_java_11_and_there_is_no_fastjson() throws Exception {
        assertThat(code.classesNewerThan(55)).isEmpty();
        assertThat(code.entriesContaining("fastjson")).isEmpty();
        assertThat(Files.exists(code.root.resolve("io/jingnei/fc/ChatHandler.class"))).isTrue();
    }

    private static void put(String key, String text) throws Exception {
        // Written through the core's own signed S3 client, as a user's upload would be.
        try (io.jingnei.core.http.SharedHttpClient http = new io.jingnei.core.http.SharedHttpClient(2, java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(10))) {
            new io.jingnei.core.storage.S3ObjectStore(http, io.jingnei.core.storage.S3Settings.from(io.jingnei.core.config.Env.of(s3.env())),
                    io.jingnei.core.storage.CredentialsProvider.chain(io.jingnei.core.config.Env.of(s3.env()), java.util.Optional::empty),
                    TimeSource.system())
                    .put(URI.create("oss://jingnei-faq/" + key), text.getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/x-ndjson")
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
