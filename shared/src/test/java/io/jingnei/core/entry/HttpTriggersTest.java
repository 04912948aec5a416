package io.jingnei.core.entry;

import io.jingnei.core.JingneiInstance;
import io.jingnei.core.auth.RequestHeaders;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Instances;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built-in runtimes' HTTP calls, routed by the table: a handler bound to one function answers
 * whatever the path, SCF's single handler goes by the path's last segment, and what the table does
 * not deliver to HTTP triggers is a 404 naming what is.
 */
class HttpTriggersTest {
    private static final String CLIENT = "ck-http-0123456789abcdef";
    private static final RequestHeaders KEY = RequestHeaders.of(Map.of("Authorization", "Bearer " + CLIENT));
    private static final byte[] QUESTION = "{\"query\":\"hello\"}".getBytes(StandardCharsets.UTF_8);
    private static FakeUpstream upstream;
    private static JingneiInstance instance;
    private static FunctionCalls calls;

    @BeforeAll
    static void boot() {
        upstream = FakeUpstream.start();
        instance = Instances.boot(upstream, new ArrayList<>(), "JINGNEI_CLIENT_KEYS", CLIENT + ":alice");
        calls = new FunctionCalls(instance);
    }

    @AfterAll
    static void stop() {
        instance.close();
        upstream.close();
    }

    private static Reply http(FunctionSpec<?> function, String method, String path, RequestHeaders headers) throws Exception {
        return HttpTriggers.call(calls, function, method, path, headers, QUESTION, "req-1").get(30, TimeUnit.SECONDS);
    }

    @Test
    void a_handler_bound_to_chat_answers_chat_whatever_the_path() throws Exception {
        assertThat(http(Functions.Chat.SPEC, "POST", "/anything", KEY).status).isEqualTo(200);
    }

    @Test
    void the_single_handler_routes_by_the_last_segment() throws Exception {
        assertThat(http(null, "POST", "/release/chat", KEY).status).isEqualTo(200);
    }

    @Test
    void a_path_no_http_trigger_reaches_is_a_404_naming_the_ones_that_are() throws Exception {
        for (String path : new String[] {"/faq-batch", "/chat-stream", "/v1/chat/completions", "/"}) {
            Reply reply = http(null, "POST", path, KEY);
            assertThat(reply.status).as(path).isEqualTo(404);
            assertThat(reply.json()).as(path).contains("use POST /chat or POST /rag-query");
        }
    }

    @Test
    void another_method_is_a_405_that_allows_post() throws Exception {
        Reply reply = http(null, "GET", "/release/rag-query", KEY);
        assertThat(reply.status).isEqualTo(405);
        assertThat(reply.headers).containsEntry("Allow", "POST");
        assertThat(reply.json()).contains("use POST for /rag-query");
    }

    @Test
    void the_access_the_table_declares_is_checked_before_the_body_is_read() throws Exception {
        Reply reply = HttpTriggers.call(calls, Functions.Chat.SPEC, "POST", "/chat", RequestHeaders.of(Map.of()), "not json".getBytes(StandardCharsets.UTF_8), "req-2")
                .get(30, TimeUnit.SECONDS);
        assertThat(reply.status).isEqualTo(401);
    }
}
