package io.jingnei.fc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.testing.CodePackage;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.HandlerBackends;
import io.jingnei.core.testing.Reply;
import io.jingnei.core.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged FC code zip, loaded in a fresh class loader per function as the java11 runtime
 * does: initializer first, then the handler with the sample trigger events from ../shared/events.
 */
class FcHandlersIT {
    private static final Path EVENTS = Paths.get("../../../shared/events");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static CodePackage code;
    private static HandlerBackends backends;
    private static FakeUpstream upstream;
    private static S3ProxyServer s3;
    /**
     * The RAG functions share one loader: a JVM loads a native library (the tokenizer's) into one
     * class loader only, and on FC each function has a JVM of its own anyway.
     */
    private static ClassLoader ragInstance;

    @BeforeAll
    static void start() throws Exception {
        code = CodePackage.unzip(Paths.get("target/jingnei-fc.zip"));
        backends = new HandlerBackends("jingnei-faq", "oss://jingnei-faq/");
        upstream = backends.upstream;
        s3 = backends.s3;
        ragInstance = code.newLoader();
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

    /** Initializer, then handler, on a fresh instance of the function; returns what the handler wrote. */
    private static JsonNode invoke(String handler, String eventFile) throws Exception {
        return invoke(code.newLoader(), handler, eventFile);
    }

    private static JsonNode invoke(ClassLoader loader, String handler, String eventFile) throws Exception {
        Class<?> type = loader.loadClass(handler);
        Object function = type.getDeclaredConstructor().newInstance();
        Object context = context(loader, "req-" + eventFile);
        type.getMethod("initialize", loader.loadClass("com.aliyun.fc.runtime.Context")).invoke(function, context);
        Method handle = type.getMethod("handleRequest", InputStream.class, OutputStream.class, loader.loadClass("com.aliyun.fc.runtime.Context"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handle.invoke(function, new ByteArrayInputStream(Files.readAllBytes(EVENTS.resolve(eventFile))), out, context);
        return JSON.readTree(out.toByteArray());
    }

    private static Object context(ClassLoader loader, String requestId) throws Exception {
        Class<?> contextType = loader.loadClass("com.aliyun.fc.runtime.Context");
        return Proxy.newProxyInstance(loader, new Class<?>[] {contextType}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "getRequestId": return requestId;
                case "getRetryCount": return 0;
                default: return null;
            }
        });
    }

    @Test
    void chat_answers_the_base64_http_trigger_event_with_200_and_the_answer() throws Exception {
        upstream.enqueue(Reply.completion("您的订单将在48小时内发货。", 30, 12));

        JsonNode response = invoke("io.jingnei.fc.ChatHandler", "fc3-http-trigger-base64.json");

        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        assertThat(response.path("isBase64Encoded").asBoolean()).isFalse();
        JsonNode body = JSON.readTree(response.path("body").asText());
        assertThat(body.path("status").asText()).isEqualTo("success");
        assertThat(body.path("content").asText()).isEqualTo("您的订单将在48小时内发货。");
        assertThat(body.path("request_id").asText()).isEqualTo("req-fc3-http-trigger-base64.json");
        String asked = upstream.completionRequests().get(0).json().path("messages").get(1).path("content").asText();
        assertThat(asked).contains("什么时候能发货");
    }

    @Test
    void rag_query_loads_model_and_index_in_the_initializer_and_answers_with_sources() throws Exception {
        upstream.enqueue(Reply.completion("请在订单页申请售后。", 200, 20));

        JsonNode response = invoke(ragInstance, "io.jingnei.fc.RagQueryHandler", "fc3-http-trigger.json");

        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.path("body").asText());
        assertThat(body.path("status").asText()).isEqualTo("success");
        assertThat(body.path("sources").findValuesAsText("id")).contains("return-how");
    }

    @Test
    void an_oss_object_created_event_runs_a_batch_and_writes_answers_beside_it() throws Exception {
        put("faq-batch/in/2026-11-11.jsonl", "{\"id\":\"1\",\"question\":\"发票怎么开\"}\n{\"id\":\"2\",\"question\":\"怎么做红烧肉\"}\n");

        JsonNode summary = invoke(ragInstance, "io.jingnei.fc.FaqBatchHandler", "fc-oss-object-created.json");

        assertThat(summary.path("status").asText()).isEqualTo("success");
        assertThat(summary.path("output").asText()).isEqualTo("oss://jingnei-faq/faq-batch/out/2026-11-11.jsonl");
        assertThat(summary.path("questions").asInt()).isEqualTo(2);
        assertThat(summary.path("by_status").path("no_context").asInt()).isEqualTo(1);
    }

    @Test
    void a_timer_event_runs_the_batch_its_payload_names() throws Exception {
        put("faq-batch/in/nightly.jsonl", "{\"id\":\"n1\",\"question\":\"忘记密码了怎么办\"}\n");

        JsonNode summary = invoke(ragInstance, "io.jingnei.fc.FaqBatchHandler", "fc-timer.json");

        assertThat(summary.path("status").asText()).isEqualTo("success");
        assertThat(summary.path("output").asText()).isEqualTo("oss://jingnei-faq/faq-batch/out/nightly.jsonl");
    }

    @Test
    void a_failed_boot_is_reported_on_every_call_with_its_cause() throws Exception {
        System.setProperty("JINGNEI_LLM_MAX_RETRIES", "lots");
        try {
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
                        .invoke(function, new ByteArrayInputStream(Files.readAllBytes(EVENTS.resolve("fc3-http-trigger-base64.json"))), out, context);
                JsonNode response = JSON.readTree(out.toByteArray());
                assertThat(response.path("statusCode").asInt()).isEqualTo(503);
                assertThat(response.path("body").asText()).contains("boot_failed").contains("JINGNEI_LLM_MAX_RETRIES");
            }
        } finally {
            System.clearProperty("JINGNEI_LLM_MAX_RETRIES");
        }
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
                    java.time.Clock.systemUTC())
                    .put(URI.create("oss://jingnei-faq/" + key), text.getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/x-ndjson")
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
