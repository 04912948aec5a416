package io.jingnei.scf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.config.Env;
import io.jingnei.core.http.SharedHttpClient;
import io.jingnei.core.storage.CredentialsProvider;
import io.jingnei.core.storage.S3ObjectStore;
import io.jingnei.core.storage.S3Settings;
import io.jingnei.core.testing.CodePackage;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.HandlerBackends;
import io.jingnei.core.testing.Reply;
import io.jingnei.core.testing.S3ProxyServer;
import io.jingnei.core.util.TimeSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import io.jingnei.core.testing.Events;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged SCF code zip in its own class loader, called as the Java11 runtime calls a handler:
 * the event bound to the handler's parameter type (here by the package's own Jackson, matching
 * names case-insensitively as the runtime does), plus a Context. One warm instance (loader) takes
 * every trigger, its first call a chat: what it loads comes from its configuration, not from
 * whichever trigger arrived first.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScfHandlersIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static CodePackage code;
    private static HandlerBackends backends;
    private static FakeUpstream upstream;
    private static S3ProxyServer s3;
    private static ClassLoader ragInstance;

    @BeforeAll
    static void start() throws Exception {
        code = CodePackage.unzip(Paths.get("target/jingnei-scf.zip"));
        backends = new HandlerBackends("jingnei-faq-1250000000", "cos://jingnei-faq-1250000000/");
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

    private static JsonNode invoke(ClassLoader loader, String handler, String eventType, String eventFile) throws Exception {
        byte[] event = eventFile.contains("apigw") ? HandlerBackends.withAuthorization(eventFile, HandlerBackends.CLIENT_KEY) : Events.bytes(eventFile);
        return invoke(loader, handler, eventType, event, eventFile);
    }

    private static JsonNode invoke(ClassLoader loader, String handler, String eventType, byte[] eventBytes, String name) throws Exception {
        return JSON.readTree(ScfRuntime.call(loader, handler, eventType, eventBytes, "scf-" + name));
    }

    @Test
    @Order(1)
    void one_warm_instance_answers_chat_then_rag_query_then_a_cos_event() throws Exception {
        byte[] chatEvent = new String(HandlerBackends.withAuthorization("scf-apigw.json", HandlerBackends.CLIENT_KEY), StandardCharsets.UTF_8)
                .replace("/rag-query", "/chat").getBytes(StandardCharsets.UTF_8);
        JsonNode chat = invoke(ragInstance, "io.jingnei.scf.EventHandler", "java.util.Map", chatEvent, "warm-chat");
        assertThat(chat.path("statusCode").asInt()).isEqualTo(200);
        assertThat(JSON.readTree(chat.path("body").asText()).path("content").asText()).isEqualTo("您好，有什么可以帮您？");

        upstream.enqueue(Reply.completion("退款确认后24小时内发起。", 200, 20));
        JsonNode rag = invoke(ragInstance, "io.jingnei.scf.EventHandler", "java.util.Map", "scf-apigw.json");
        assertThat(rag.path("statusCode").asInt()).isEqualTo(200);
        assertThat(JSON.readTree(rag.path("body").asText()).path("status").asText()).isEqualTo("success");

        put("faq-batch/in/2026-11-11.jsonl", "{\"id\":\"1\",\"question\":\"运费谁出\"}\n");
        JsonNode cos = invoke(ragInstance, "io.jingnei.scf.EventHandler", "java.util.Map", "scf-cos-object-created.json");
        assertThat(cos.path("status").asText()).isEqualTo("success");
    }

    @Test
    void api_gateway_calls_need_credentials_and_deep_nesting_is_a_400() throws Exception {
        JsonNode anonymous = invoke(ragInstance, "io.jingnei.scf.RagQueryApiHandler",
                "com.qcloud.services.scf.runtime.events.APIGatewayProxyRequestEvent", Events.bytes("scf-apigw.json"), "anonymous");
        assertThat(anonymous.path("statusCode").asInt()).isEqualTo(401);

        String deep = "{\"query\":\"hi\",\"x\":" + "[".repeat(2000) + "]".repeat(2000) + "}";
        JsonNode nested = invoke(ragInstance, "io.jingnei.scf.RagQueryApiHandler",
                "com.qcloud.services.scf.runtime.events.APIGatewayProxyRequestEvent", HandlerBackends.withBody("scf-apigw.json", deep), "deep");
        assertThat(nested.path("statusCode").asInt()).isEqualTo(400);
        assertThat(JSON.readTree(nested.path("body").asText()).path("error").asText()).contains("nested too deeply");
    }

    @Test
    void rag_query_answers_the_api_gateway_event_as_an_integrated_response() throws Exception {
        upstream.enqueue(Reply.completion("退款确认后24小时内发起。", 200, 20));

        JsonNode response = invoke(ragInstance, "io.jingnei.scf.RagQueryApiHandler",
                "com.qcloud.services.scf.runtime.events.APIGatewayProxyRequestEvent", "scf-apigw.json");

        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        assertThat(response.path("isBase64Encoded").asBoolean()).isFalse();
        assertThat(response.path("headers").path("Content-Type").asText()).startsWith("application/json");
        JsonNode body = JSON.readTree(response.path("body").asText());
        assertThat(body.path("status").asText()).isEqualTo("success");
        assertThat(body.path("sources").get(0).path("id").asText()).isEqualTo("refund-time");
    }

    @Test
    void chat_answers_the_api_gateway_event() throws Exception {
        JsonNode response = invoke(ragInstance, "io.jingnei.scf.ChatApiHandler",
                "com.qcloud.services.scf.runtime.events.APIGatewayProxyRequestEvent", "scf-apigw.json");

        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        assertThat(JSON.readTree(response.path("body").asText()).path("content").asText()).isEqualTo("您好，有什么可以帮您？");
    }

    @Test
    void a_cos_object_created_event_runs_a_batch() throws Exception {
        put("faq-batch/in/2026-11-11.jsonl", "{\"id\":\"1\",\"question\":\"运费谁出\"}\n");

        JsonNode summary = invoke(ragInstance, "io.jingnei.scf.FaqBatchCosHandler",
                "com.qcloud.services.scf.runtime.events.CosEvent", "scf-cos-object-created.json");

        assertThat(summary.path("status").asText()).isEqualTo("success");
        assertThat(summary.path("output").asText()).isEqualTo("cos://jingnei-faq-1250000000/faq-batch/out/2026-11-11.jsonl");
    }

    @Test
    void a_timer_event_runs_the_batch_its_message_names() throws Exception {
        put("faq-batch/in/nightly.jsonl", "{\"id\":\"n1\",\"question\":\"积分多久过期\"}\n");

        JsonNode summary = invoke(ragInstance, "io.jingnei.scf.FaqBatchTimerHandler", "io.jingnei.scf.ScfTimerEvent", "scf-timer.json");

        assertThat(summary.path("status").asText()).isEqualTo("success");
        assertThat(summary.path("questions").asInt()).isEqualTo(1);
    }

    @Test
    void the_single_event_handler_dispatches_each_trigger_by_its_shape() throws Exception {
        upstream.enqueue(Reply.completion("退款确认后24小时内发起。", 200, 20));
        JsonNode api = invoke(ragInstance, "io.jingnei.scf.EventHandler", "java.util.Map", "scf-apigw.json");
        assertThat(api.path("statusCode").asInt()).isEqualTo(200);
        assertThat(JSON.readTree(api.path("body").asText()).path("status").asText()).isEqualTo("success");

        put("faq-batch/in/2026-11-11.jsonl", "{\"id\":\"1\",\"question\":\"运费谁出\"}\n");
        assertThat(invoke(ragInstance, "io.jingnei.scf.EventHandler", "java.util.Map", "scf-cos-object-created.json")
                .path("status").asText()).isEqualTo("success");
        put("faq-batch/in/nightly.jsonl", "{\"id\":\"n1\",\"question\":\"积分多久过期\"}\n");
        assertThat(invoke(ragInstance, "io.jingnei.scf.EventHandler", "java.util.Map", "scf-timer.json")
                .path("questions").asInt()).isEqualTo(1);
    }

    @Test
    void a_timer_event_is_recognised_whatever_the_case_of_its_type() throws Exception {
        // Tencent's event summary prints "Timer" (what the platform sends); serverless.com's Tencent pages print "timer".
        assertThat(new String(Events.bytes("scf-timer.json"), StandardCharsets.UTF_8)).contains("\"Type\": \"Timer\"");
        put("faq-batch/in/nightly.jsonl", "{\"id\":\"n1\",\"question\":\"积分多久过期\"}\n");
        for (String type : new String[] {"Timer", "timer", "TIMER"}) {
            byte[] event = new String(Events.bytes("scf-timer.json"), StandardCharsets.UTF_8)
                    .replace("\"Type\": \"Timer\"", "\"Type\": \"" + type + "\"").getBytes(StandardCharsets.UTF_8);
            JsonNode summary = invoke(ragInstance, "io.jingnei.scf.EventHandler", "java.util.Map", event, "timer-" + type);
            assertThat(summary.path("status").asText()).as(type).isEqualTo("success");
            assertThat(summary.path("questions").asInt()).as(type).isEqualTo(1);
        }
    }

    @Test
    void the_single_event_handler_answers_unknown_paths_and_wrong_methods_in_json() throws Exception {
        String event = new String(HandlerBackends.withAuthorization("scf-apigw.json", HandlerBackends.CLIENT_KEY), StandardCharsets.UTF_8);
        JsonNode unknown = invoke(ragInstance, "io.jingnei.scf.EventHandler", "java.util.Map",
                event.replace("/rag-query", "/admin").getBytes(StandardCharsets.UTF_8), "unknown");
        JsonNode get = invoke(ragInstance, "io.jingnei.scf.EventHandler", "java.util.Map",
                event.replace("\"POST\"", "\"GET\"").getBytes(StandardCharsets.UTF_8), "get");

        assertThat(unknown.path("statusCode").asInt()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.path("body").asText()).path("status").asText()).isEqualTo("not_found");
        assertThat(get.path("statusCode").asInt()).isEqualTo(405);
    }

    @Test
    void every_class_loads_on_java_11_and_neither_fastjson_nor_spring_is_packaged() throws Exception {
        assertThat(code.classesNewerThan(55)).isEmpty();
        assertThat(code.entriesContaining("fastjson")).isEmpty();
        assertThat(code.entriesContaining("springframework")).isEmpty();
    }

    private static void put(String key, String text) throws Exception {
        try (SharedHttpClient http = new SharedHttpClient(2, Duration.ofSeconds(2), Duration.ofSeconds(10))) {
            new S3ObjectStore(http, S3Settings.from(Env.of(s3.env())), CredentialsProvider.chain(Env.of(s3.env()), Optional::empty), TimeSource.system())
                    .put(URI.create("cos://jingnei-faq-1250000000/" + key), text.getBytes(StandardCharsets.UTF_8), "application/x-ndjson")
                    .get(10, TimeUnit.SECONDS);
        }
    }
}
