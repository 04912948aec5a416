package io.jingnei.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Reply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attacks a review found, each against the running app over HTTP: the attack fails, nothing is
 * read, written or spent, and the legitimate call next to it still works.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstreamResource.class, restrictToAnnotatedClass = false)
class SecurityIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void reset() {
        FakeUpstreamResource.upstream.reset();
        FakeUpstreamResource.clearOutput();
    }

    private static JsonNode json(Response response) throws Exception {
        assertThat(response.contentType()).as("every answer is JSON").startsWith("application/json");
        return JSON.readTree(response.asString());
    }

    private static FakeUpstream upstream() {
        return FakeUpstreamResource.upstream;
    }

    // --- storage: admin functions may only touch the allow-list ---

    @Test
    void faq_batch_cannot_read_etc_passwd_or_write_outside_the_allow_list() throws Exception {
        Path target = Paths.get("/tmp/jingnei-attack-" + System.nanoTime() + ".jsonl");

        Response response = Api.admin("/faq-batch", "{\"input\":\"file:///etc/passwd\",\"output\":\"" + target.toUri() + "\"}");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response).path("status").asText()).isEqualTo("forbidden");
        assertThat(json(response).path("error").asText()).contains("JINGNEI_STORAGE_ALLOW").doesNotContain("root:");
        assertThat(Files.exists(target)).isFalse();
        assertThat(upstream().completionRequests()).isEmpty();
    }

    @Test
    void index_build_cannot_overwrite_the_app_nor_replace_the_live_knowledge_base() throws Exception {
        Path jar = Paths.get("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        Path decoy = Files.writeString(Files.createTempFile("jingnei-decoy", ".txt"), "攻击者的内容：所有订单免费。");
        byte[] before = Files.exists(jar) ? Files.readAllBytes(jar) : null;

        Response overwrite = Api.admin("/index-build", "{\"input\":\"" + decoy.toUri() + "\",\"output\":\"" + jar.toUri() + "\"}");
        Response sample = Api.admin("/index-build", "{\"input\":\"" + decoy.toUri() + "\",\"output\":\"file://"
                + System.getProperty("java.io.tmpdir") + "/jingnei-sample/evil.jnix\"}");

        assertThat(overwrite.statusCode()).isEqualTo(403);
        assertThat(sample.statusCode()).isEqualTo(403);
        if (before != null) {
            assertThat(Files.readAllBytes(jar)).isEqualTo(before);
        }
        upstream().enqueue(Reply.completion("退款24小时内发起。", 10, 5));
        JsonNode answer = json(Api.post("/rag-query", "{\"query\":\"退货要多久能到账？\"}"));
        assertThat(answer.path("sources").get(0).path("id").asText()).isEqualTo("refund-time");
        assertThat(answer.toString()).doesNotContain("免费");
    }

    /**
     * A symbolic link inside the allowed folder, to a file and to a folder outside it (as an unpacked
     * knowledge-base archive may bring): reads and writes through them are refused and nothing outside
     * is read or written; a real file next to them still works.
     */
    @Test
    void faq_batch_cannot_read_or_write_outside_the_allow_list_through_a_symbolic_link() throws Exception {
        Path allowed = FakeUpstreamResource.allowedDir;
        Path outside = Files.createTempDirectory("jingnei-outside-").toRealPath();
        Files.writeString(outside.resolve("private.jsonl"), "{\"id\":\"1\",\"question\":\"内部价格表在哪\"}\n");
        Path fileLink = Files.createSymbolicLink(allowed.resolve("link-" + System.nanoTime() + ".jsonl"), outside.resolve("private.jsonl"));
        Path folderLink = Files.createSymbolicLink(allowed.resolve("escape-" + System.nanoTime()), outside);
        Path questions = Files.writeString(allowed.resolve("real-" + System.nanoTime() + ".jsonl"), "{\"id\":\"1\",\"question\":\"发票怎么开\"}\n");

        Response read = Api.admin("/faq-batch", "{\"input\":\"" + fileLink.toUri() + "\",\"output\":\"" + allowed.toUri() + "out-1.jsonl\"}");
        Response write = Api.admin("/faq-batch", "{\"input\":\"" + questions.toUri() + "\",\"output\":\"" + folderLink.toUri() + "/answers.jsonl\"}");
        Response legit = Api.admin("/faq-batch", "{\"input\":\"" + questions.toUri() + "\",\"output\":\"" + allowed.toUri() + "answers.jsonl\"}");

        assertThat(read.statusCode()).isEqualTo(403);
        assertThat(json(read).path("error").asText()).contains("symbolic links").doesNotContain("内部价格表");
        assertThat(write.statusCode()).isEqualTo(403);
        try (var left = Files.list(outside)) {
            assertThat(left).containsExactly(outside.resolve("private.jsonl"));
        }
        assertThat(legit.statusCode()).isEqualTo(200);
        assertThat(Files.readString(allowed.resolve("answers.jsonl"))).contains("发票怎么开");
    }

    /** index-build with an output outside the allow-list is refused before its input is even looked at. */
    @Test
    void index_build_checks_its_output_before_it_reads_the_input() throws Exception {
        Path allowed = FakeUpstreamResource.allowedDir;
        Path outsideOutput = Paths.get(System.getProperty("java.io.tmpdir"), "jingnei-evil-" + System.nanoTime() + ".jnix");

        Response missingInput = Api.admin("/index-build", "{\"input\":\"" + allowed.toUri() + "no-such-kb.txt\",\"output\":\"" + outsideOutput.toUri() + "\"}");
        Response missingInsideTheList = Api.admin("/index-build", "{\"input\":\"" + allowed.toUri() + "none-either.txt\",\"output\":\"" + allowed.toUri() + "idx.jnix\"}");

        assertThat(missingInput.statusCode()).isEqualTo(403);
        assertThat(json(missingInput).path("error").asText()).contains("writing").contains("JINGNEI_STORAGE_ALLOW");
        assertThat(Files.exists(outsideOutput)).isFalse();
        assertThat(missingInsideTheList.statusCode()).as("inside the list, a missing input is still named").isEqualTo(404);
    }

    @Test
    void a_uri_outside_the_list_is_refused_the_same_way_whether_or_not_the_object_exists() throws Exception {
        JsonNode exists = json(Api.admin("/faq-batch", "{\"input\":\"file:///etc/hostname\"}"));
        JsonNode missing = json(Api.admin("/faq-batch", "{\"input\":\"file:///etc/no-such-file-here\"}"));
        JsonNode otherBucket = json(Api.admin("/faq-batch", "{\"input\":\"oss://someone-elses-bucket/faq-batch/in/a.jsonl\"}"));

        assertThat(exists.path("status").asText()).isEqualTo("forbidden");
        assertThat(missing.path("status").asText()).isEqualTo("forbidden");
        assertThat(otherBucket.path("status").asText()).isEqualTo("forbidden");
        assertThat(exists.path("error").asText().replace("hostname", "X"))
                .isEqualTo(missing.path("error").asText().replace("no-such-file-here", "X"));
    }

    @Test
    void dot_segments_encoded_dots_backslashes_and_broken_uris_are_400s() throws Exception {
        for (String uri : List.of("oss://jingnei-faq/faq-batch/in/../../etc/x.jsonl", "oss://jingnei-faq/faq-batch/in/%2e%2e/x.jsonl",
                "oss://jingnei-faq/faq-batch\\\\in\\\\x.jsonl", "file:///tmp/%zz", "oss:///faq-batch/in/x.jsonl", "gopher://x/y")) {
            Response response = Api.admin("/faq-batch", "{\"input\":\"" + uri + "\"}");
            assertThat(response.statusCode()).as(uri).isEqualTo(400);
            assertThat(json(response).path("status").asText()).isEqualTo("invalid_request");
        }
    }

    @Test
    void admin_functions_want_an_admin_key_not_a_client_key() throws Exception {
        String body = "{\"input\":\"oss://jingnei-faq/faq-batch/in/none.jsonl\"}";

        assertThat(Api.anonymous().body(body).post("/faq-batch").statusCode()).isEqualTo(401);
        Response asClient = Api.asClient().body(body).post("/faq-batch");
        assertThat(asClient.statusCode()).isEqualTo(403);
        assertThat(json(asClient).path("error").asText()).contains("JINGNEI_ADMIN_KEYS");
        assertThat(Api.asClient().body("{\"input\":\"x\",\"output\":\"y\"}").post("/index-build").statusCode()).isEqualTo(403);
        assertThat(Api.admin("/faq-batch", body).statusCode()).as("the admin gets through to a clear 404").isEqualTo(404);
    }

    // --- FC control paths ---

    @Test
    void initialize_through_the_http_trigger_is_an_unknown_route_and_its_credentials_are_ignored() throws Exception {
        Response attack = given().header("x-fc-control-path", "/http-invoke")
                .header("x-fc-access-key-id", "ATTACKER-AK").header("x-fc-access-key-secret", "ATTACKER-SECRET")
                .post("/initialize");
        Response noHeader = given().header("x-fc-access-key-id", "ATTACKER-AK").header("x-fc-access-key-secret", "ATTACKER-SECRET")
                .post("/initialize");

        assertThat(attack.statusCode()).isEqualTo(404);
        assertThat(noHeader.statusCode()).isEqualTo(404);
        assertThat(json(attack).path("status").asText()).isEqualTo("not_found");
        assertThat(PlatformCredentials.latest()).isEmpty();
        assertThat(given().header("x-fc-control-path", "/initialize").post("/initialize").statusCode()).isEqualTo(200);
    }

    @Test
    void pre_stop_through_the_http_trigger_is_an_unknown_route_but_answers_fc() {
        assertThat(given().header("x-fc-control-path", "/http-invoke").get("/pre-stop").statusCode()).isEqualTo(404);
        assertThat(given().header("x-fc-control-path", "/pre-stop").get("/pre-stop").statusCode()).isEqualTo(200);
        assertThat(given().get("/pre-stop").statusCode()).as("FC's pre-stop header value is undocumented").isEqualTo(200);
    }

    @Test
    void invoke_through_the_http_trigger_runs_no_batch() throws Exception {
        Response attack = given().contentType("application/json").body("{\"input\":\"oss://jingnei-faq/faq-batch/in/a.jsonl\"}").post("/invoke");

        assertThat(attack.statusCode()).isEqualTo(404);
        assertThat(upstream().completionRequests()).isEmpty();
    }

    @Test
    void a_trailing_slash_reaches_no_handler_without_credentials_nor_a_control_path_without_fc() throws Exception {
        // Vert.x matches exact routes with a trailing slash too: the gate must not let "/chat-stream/" pass unauthenticated.
        for (String path : List.of("/chat-stream/", "/rag-stream/", "/v1/chat/completions/", "/v1/embeddings/", "/chat/", "/faq-batch/")) {
            Response attack = Api.anonymous().body("{\"query\":\"你好\",\"model\":\"deepseek-v3.2\","
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"input\":\"hi\"}").post(path);
            assertThat(attack.statusCode()).as(path).isEqualTo(404);
        }
        Response invoke = given().header("x-fc-control-path", "/http-invoke").contentType("application/json")
                .body("{\"input\":\"oss://jingnei-faq/faq-batch/in/a.jsonl\"}").post("/invoke/");
        assertThat(invoke.statusCode()).isEqualTo(404);
        Response initialize = given().header("x-fc-control-path", "/http-invoke").header("x-fc-access-key-id", "ATTACKER-AK")
                .header("x-fc-access-key-secret", "ATTACKER-SECRET").post("/initialize/");
        assertThat(initialize.statusCode()).isEqualTo(404);
        assertThat(upstream().completionRequests()).isEmpty();

        upstream().enqueue(Reply.stream(0, "您好"));
        Response legit = given().contentType("application/json").header("Authorization", "Bearer " + FakeUpstreamResource.CLIENT_KEY)
                .body("{\"query\":\"你好\"}").post("/chat-stream");
        assertThat(legit.statusCode()).isEqualTo(200);
        assertThat(legit.asString()).contains("[DONE]");
    }

    // --- credentials on every public route ---

    @Test
    void chat_chat_stream_and_rag_query_need_credentials() throws Exception {
        for (String path : List.of("/chat", "/chat-stream", "/rag-query")) {
            Response response = Api.anonymous().body("{\"query\":\"你好\"}").post(path);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(json(response).path("status").asText()).isEqualTo("unauthorized");
            assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
            Response wrong = given().contentType("application/json").header("Authorization", "Bearer " + FakeUpstream.KEY)
                    .body("{\"query\":\"你好\"}").post(path);
            assertThat(wrong.statusCode()).as(path + " with the upstream key").isEqualTo(401);
        }
        assertThat(upstream().completionRequests()).isEmpty();
        assertThat(Api.post("/chat", "{\"query\":\"你好\"}").statusCode()).isEqualTo(200);
        assertThat(given().contentType("application/json").header("x-api-key", FakeUpstreamResource.CLIENT_KEY)
                .body("{\"query\":\"你好\"}").post("/chat").statusCode()).isEqualTo(200);
    }

    @Test
    void a_body_user_never_replaces_the_keys_user() throws Exception {
        Api.post("/chat", "{\"query\":\"你好\",\"user_id\":\"shop-b\"}");
        Api.asClient().body("{\"user\":\"shop-b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").post("/v1/chat/completions");

        assertThat(upstream().completionRequests()).extracting(r -> r.json().path("user").asText())
                .containsExactly("shop-a/shop-b", "shop-a/shop-b");
    }

    @Test
    void end_user_tokens_work_and_forged_expired_misdirected_or_unsigned_ones_do_not() throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet.Builder good = new JWTClaimsSet.Builder().subject("visitor-42").issuer(FakeUpstreamResource.JWT_ISSUER)
                .audience(FakeUpstreamResource.JWT_AUDIENCE).expirationTime(Date.from(now.plusSeconds(300)));

        Response ok = given().contentType("application/json").header("Authorization", "Bearer " + token(good.build(), FakeUpstreamResource.JWT_SECRET))
                .body("{\"query\":\"你好\"}").post("/chat");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(upstream().completionRequests().get(0).json().path("user").asText()).isEqualTo("visitor-42");

        String forged = token(good.build(), "another-secret-that-is-long-enough-123");
        String expired = token(new JWTClaimsSet.Builder(good.build()).expirationTime(Date.from(now.minusSeconds(3600))).build(), FakeUpstreamResource.JWT_SECRET);
        String elsewhere = token(new JWTClaimsSet.Builder(good.build()).audience("another-app").build(), FakeUpstreamResource.JWT_SECRET);
        String unsigned = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(good.build().toString()) + ".";
        for (String token : List.of(forged, expired, elsewhere, unsigned)) {
            Response refused = given().contentType("application/json").header("Authorization", "Bearer " + token)
                    .body("{\"query\":\"你好\"}").post("/chat");
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(json(refused).path("status").asText()).isEqualTo("unauthorized");
        }
        assertThat(upstream().completionRequests()).hasSize(1);
    }

    // --- redaction ---

    @Test
    void an_upstream_error_event_quoting_our_key_reaches_neither_the_client_nor_the_log() throws Exception {
        upstream().enqueue(Reply.sse(List.of(
                "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"好\"}}]}",
                "{\"error\":{\"message\":\"bad request; headers were Authorization: Bearer " + FakeUpstream.KEY + "\",\"type\":\"server_error\"}}"),
                0, -1));

        SseCall call = SseCall.post("/v1/chat/completions",
                "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", FakeUpstreamResource.CLIENT_KEY);

        assertThat(call.body).contains("\"error\"").doesNotContain(FakeUpstream.KEY).doesNotContain("sk-test-0123");
        assertThat(FakeUpstreamResource.output()).doesNotContain(FakeUpstream.KEY).doesNotContain("sk-test-0123");
    }

    @Test
    void a_key_echoed_past_the_truncation_point_leaks_no_prefix() throws Exception {
        upstream().enqueue(Reply.error(400, "invalid_request_error", null, "y".repeat(295) + " " + FakeUpstream.KEY));

        Response response = Api.post("/chat", "{\"query\":\"你好\"}");

        assertThat(response.asString()).doesNotContain("sk-test-0123").doesNotContain("0123456789abcdef");
        assertThat(FakeUpstreamResource.output()).doesNotContain("sk-test-0123");
    }

    @Test
    void an_upstream_echoing_only_the_tail_of_our_key_leaks_none_of_it() throws Exception {
        String tail = FakeUpstream.KEY.substring(8);
        upstream().enqueue(Reply.error(400, "invalid_request_error", null, "key ending in " + tail + " is not valid here"));
        upstream().enqueue(Reply.completion("您好", 5, 2));

        Response echoed = Api.post("/chat", "{\"query\":\"你好\"}");
        Response legit = Api.post("/chat", "{\"query\":\"你好\"}");

        assertThat(echoed.asString()).doesNotContain(tail).doesNotContain(tail.substring(0, 8)).doesNotContain(tail.substring(tail.length() - 8));
        assertThat(FakeUpstreamResource.output()).doesNotContain(tail.substring(0, 8)).doesNotContain(tail.substring(tail.length() - 8));
        assertThat(legit.statusCode()).isEqualTo(200);
        assertThat(json(legit).path("content").asText()).isEqualTo("您好");
    }

    // --- what a caller can make the operator pay for ---

    @Test
    void cost_amplification_on_the_openai_surface_is_refused_before_the_upstream() throws Exception {
        for (String extra : List.of("\"n\":128", "\"max_tokens\":100000000", "\"temperature\":99", "\"temperature\":\"NaN\"",
                "\"max_completion_tokens\":999999", "\"top_p\":7")) {
            Response response = Api.asClient().body("{" + extra + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                    .post("/v1/chat/completions");
            assertThat(response.statusCode()).as(extra).isEqualTo(400);
            assertThat(json(response).path("error").path("type").asText()).isEqualTo("invalid_request_error");
        }
        assertThat(upstream().completionRequests()).isEmpty();
        assertThat(Api.asClient().body("{\"n\":1,\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").statusCode()).isEqualTo(200);
    }

    @Test
    void oversized_prompts_user_ids_and_nan_temperatures_are_refused_on_our_functions() throws Exception {
        assertThat(Api.post("/rag-query", "{\"query\":\"退货\",\"system_prompt\":\"" + "长".repeat(200_001) + "\"}").statusCode()).isEqualTo(413);
        assertThat(Api.post("/chat", "{\"query\":\"你好\",\"temperature\":\"NaN\"}").statusCode()).isEqualTo(400);
        assertThat(Api.post("/chat", "{\"query\":\"你好\",\"max_tokens\":100000000}").statusCode()).isEqualTo(400);
        Response bigUser = Api.post("/chat", "{\"query\":\"你好\",\"user_id\":\"" + "u".repeat(900_000) + "\"}");
        assertThat(bigUser.statusCode()).isEqualTo(400);
        assertThat(upstream().completionRequests()).isEmpty();
        assertThat(FakeUpstreamResource.output()).doesNotContain("u".repeat(200));
    }

    @Test
    void an_unsafe_request_id_is_replaced_and_a_plain_one_kept() {
        Response unsafe = Api.asClient().header("x-request-id", "x\u0001" + "z".repeat(500)).body("{\"query\":\"你好\"}").post("/chat");
        Response plain = Api.asClient().header("x-request-id", "gw-123.abc").body("{\"query\":\"你好\"}").post("/chat");

        assertThat(unsafe.header("x-request-id")).hasSizeLessThan(65).doesNotContain("zzzz");
        assertThat(plain.header("x-request-id")).isEqualTo("gw-123.abc");
    }

    // --- every error is JSON in the route's shape ---

    @Test
    void deep_nesting_is_a_400_on_every_route() throws Exception {
        String deep = "{\"query\":\"hi\",\"x\":" + "[".repeat(2000) + "]".repeat(2000) + "}";
        for (String path : List.of("/chat", "/rag-query", "/chat-stream", "/v1/chat/completions")) {
            Response response = Api.post(path, deep);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.asString()).as(path).contains("nested too deeply").doesNotContain("Exception");
        }
        assertThat(Api.admin("/faq-batch", deep.replace("query", "input")).statusCode()).isEqualTo(400);
    }

    @Test
    void wrong_methods_unknown_routes_and_oversized_bodies_answer_json() throws Exception {
        Response get = Api.asClient().get("/chat");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.header("Allow")).isEqualTo("POST");
        assertThat(json(get).path("status").asText()).isEqualTo("method_not_allowed");

        Response unknown = Api.asClient().get("/admin/secrets");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("status").asText()).isEqualTo("not_found");

        Response unknownV1 = Api.asClient().get("/v1/files");
        assertThat(unknownV1.statusCode()).isEqualTo(404);
        assertThat(json(unknownV1).path("error").path("type").asText()).isEqualTo("invalid_request_error");

        byte[] huge = ("{\"query\":\"" + "x".repeat(9 << 20) + "\"}").getBytes(StandardCharsets.UTF_8);
        Response tooBig = Api.asClient().body(huge).post("/chat");
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(json(tooBig).path("error").asText()).contains("JINGNEI_MAX_BODY_BYTES");
    }

    @Test
    void an_unexpected_failure_is_a_json_500_with_the_request_id_and_one_logged_stack() throws Exception {
        Response response = Api.asClient().header("x-request-id", "boom-1").get(TestBoomRoute.PATH);

        assertThat(response.statusCode()).isEqualTo(500);
        JsonNode body = json(response);
        assertThat(body.path("status").asText()).isEqualTo("internal_error");
        assertThat(body.path("request_id").asText()).isEqualTo("boom-1");
        assertThat(body.toString()).doesNotContain("IllegalStateException").doesNotContain("at io.jingnei");
        List<String> stacks = FakeUpstreamResource.output().lines()
                .filter(l -> l.startsWith("{") && l.contains("\"stack\"") && l.contains("boom-1")).toList();
        assertThat(stacks).hasSize(1);
        assertThat(JSON.readTree(stacks.get(0)).path("level").asText()).isEqualTo("ERROR");
    }

    // --- round 3: headers with two readings, reserved accounts, token dates, the knowledge base ---

    @Test
    void a_client_control_path_placed_before_fcs_own_is_refused_not_taken_first() throws Exception {
        String attack = raw("POST /initialize HTTP/1.1\nHost: x\nx-fc-control-path: /initialize\nx-fc-control-path: /http-invoke\n"
                + "x-fc-access-key-id: ATTACKER-AK\nx-fc-access-key-secret: ATTACKER-SECRET\nContent-Length: 0", "");

        assertThat(RawHttp.status(attack)).isEqualTo(400);
        assertThat(JSON.readTree(RawHttp.body(attack)).path("error").asText()).contains("more than one 'x-fc-control-path'");
        assertThat(PlatformCredentials.latest()).isEmpty();
        assertThat(given().header("x-fc-control-path", "/initialize").post("/initialize").statusCode()).isEqualTo(200);
    }

    @Test
    void an_unknown_transfer_coding_or_two_framings_are_refused_and_chunked_bodies_still_work() throws Exception {
        String body = "{\"query\":\"你好\"}";
        int length = body.getBytes(StandardCharsets.UTF_8).length;
        String auth = "Authorization: Bearer " + FakeUpstreamResource.CLIENT_KEY + "\nContent-Type: application/json\n";
        String both = raw("POST /chat HTTP/1.1\nHost: x\n" + auth + "Transfer-Encoding: xchunked\nContent-Length: " + length, body);
        String unknown = raw("POST /chat HTTP/1.1\nHost: x\n" + auth + "Transfer-Encoding: xchunked", body);

        assertThat(RawHttp.status(both)).isEqualTo(400);
        assertThat(RawHttp.status(unknown)).isEqualTo(400);
        assertThat(JSON.readTree(RawHttp.body(both)).path("status").asText()).isEqualTo("invalid_request");
        assertThat(RawHttp.body(unknown)).contains("Transfer-Encoding");
        assertThat(upstream().completionRequests()).isEmpty();

        upstream().enqueue(Reply.completion("您好！", 5, 3));
        String chunked = raw("POST /chat HTTP/1.1\nHost: x\n" + auth + "Transfer-Encoding: chunked",
                Integer.toHexString(length) + "\r\n" + body + "\r\n0\r\n\r\n");
        assertThat(RawHttp.status(chunked)).as(chunked).isEqualTo(200);
        assertThat(JSON.readTree(RawHttp.body(chunked)).path("content").asText()).isEqualTo("您好！");
    }

    @Test
    void a_token_cannot_make_its_holder_the_admin_the_platform_or_everyone() throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(FakeUpstreamResource.JWT_ISSUER)
                .audience(FakeUpstreamResource.JWT_AUDIENCE).expirationTime(Date.from(Instant.now().plusSeconds(300)));
        for (String reserved : List.of("admin", "platform", "PLATFORM", "*")) {
            Response refused = given().contentType("application/json")
                    .header("Authorization", "Bearer " + token(claims.subject(reserved).build(), FakeUpstreamResource.JWT_SECRET))
                    .body("{\"query\":\"你好\"}").post("/chat");
            assertThat(refused.statusCode()).as(reserved).isIn(401, 403);
            assertThat(json(refused).path("error").asText()).as(reserved).contains("'sub'");
        }
        assertThat(upstream().completionRequests()).isEmpty();
        Response ok = given().contentType("application/json")
                .header("Authorization", "Bearer " + token(claims.subject("admin-desk-7").build(), FakeUpstreamResource.JWT_SECRET))
                .body("{\"query\":\"你好\"}").post("/chat");
        assertThat(ok.statusCode()).isEqualTo(200);
    }

    @Test
    void a_token_whose_expiry_overflows_as_milliseconds_is_refused() throws Exception {
        String claims = "\"sub\":\"visitor-42\",\"iss\":\"" + FakeUpstreamResource.JWT_ISSUER + "\",\"aud\":\"" + FakeUpstreamResource.JWT_AUDIENCE + "\"";
        long soon = Instant.now().plusSeconds(300).getEpochSecond();
        for (String dates : List.of("\"exp\":18446744073709552", "\"exp\":" + soon + ",\"nbf\":18446744073709552",
                "\"exp\":" + soon + ",\"iat\":-1", "\"exp\":1e300")) {
            Response refused = given().contentType("application/json").header("Authorization", "Bearer " + rawToken("{" + claims + "," + dates + "}"))
                    .body("{\"query\":\"你好\"}").post("/chat");
            assertThat(refused.statusCode()).as(dates).isEqualTo(401);
        }
        assertThat(upstream().completionRequests()).isEmpty();
        Response ok = given().contentType("application/json").header("Authorization", "Bearer " + rawToken("{" + claims + ",\"exp\":" + soon + "}"))
                .body("{\"query\":\"你好\"}").post("/chat");
        assertThat(ok.statusCode()).isEqualTo(200);
    }

    @Test
    void a_caller_cannot_page_through_the_whole_knowledge_base() throws Exception {
        Response wide = Api.post("/rag-query", "{\"query\":\"的\",\"top_k\":50,\"threshold\":-1}");
        assertThat(wide.statusCode()).isEqualTo(400);
        assertThat(json(wide).path("error").asText()).contains("JINGNEI_MAX_TOP_K");

        JsonNode client = json(Api.post("/rag-query", "{\"query\":\"的\",\"top_k\":10,\"threshold\":-1}"));
        for (JsonNode source : client.path("sources")) {
            assertThat(source.path("similarity").asDouble()).as("never below the configured floor").isGreaterThanOrEqualTo(0.5);
        }
        JsonNode admin = json(Api.admin("/rag-query", "{\"query\":\"的\",\"top_k\":50,\"threshold\":-1}"));
        assertThat(admin.path("sources").size()).as("an admin still sees the plain ranking").isGreaterThan(client.path("sources").size());

        upstream().enqueue(Reply.completion("退款24小时内发起。", 10, 5));
        JsonNode legit = json(Api.post("/rag-query", "{\"query\":\"退货要多久能到账？\",\"top_k\":5}"));
        assertThat(legit.path("sources").get(0).path("id").asText()).isEqualTo("refund-time");
    }

    /** A request written byte by byte to the app under test; the answer as text. */
    private static String raw(String head, String body) throws Exception {
        try (RawHttp http = new RawHttp(io.restassured.RestAssured.port)) {
            http.head(head);
            http.body(body.getBytes(StandardCharsets.UTF_8));
            return http.response();
        }
    }

    /** An HS256 token whose payload is exactly this JSON, values the claims builder would not write included. */
    private static String rawToken(String payload) throws Exception {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build();
        String input = header.toBase64URL() + "." + b64(payload);
        return input + "." + new MACSigner(FakeUpstreamResource.JWT_SECRET.getBytes(StandardCharsets.UTF_8))
                .sign(header, input.getBytes(StandardCharsets.US_ASCII));
    }

    private static String token(JWTClaimsSet claims, String secret) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
