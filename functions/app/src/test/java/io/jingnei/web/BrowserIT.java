package io.jingnei.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.testing.Reply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat page and the widget in Debian's Chromium, driven by puppeteer-core
 * (src/test/node/browser-check.mjs): a question typed and sent, the answer growing in several steps
 * while it streams, its sources shown, no console errors; on the page, Shift+Enter making a new line,
 * a follow-up sending the first turn as history and 新对话 starting over without it; the widget on a page of another origin,
 * behind that page's own CSS, with a token from the site's token route. Screenshots at phone and
 * desktop size go to target/browser/ and are checked to be non-blank.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstreamResource.class, restrictToAnnotatedClass = false)
class BrowserIT {
    private static final File DIR = new File("src/test/node");
    private static final Path OUT = Paths.get("target/browser").toAbsolutePath();

    @BeforeAll
    static void install() throws Exception {
        if (!new File(DIR, "node_modules/openai").isDirectory() || !new File(DIR, "node_modules/puppeteer-core").isDirectory()) {
            OpenAiNodeSdkIT.run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
        }
        assertThat(new File("/usr/bin/chromium")).as("Debian's chromium (.ci/run installs it)").exists();
    }

    @Test
    void the_page_and_the_widget_stream_an_answer_with_sources_in_a_real_browser() throws Exception {
        FakeUpstreamResource.upstream.reset();
        FakeUpstreamResource.upstream.fallback(Reply.stream(120, "退款", "会在", "商家确认", "收货后", "24小时内", "发起，", "请留意", "到账通知。"));
        Files.createDirectories(OUT);

        String out = OpenAiNodeSdkIT.run(List.of("node", "browser-check.mjs", "--app", "http://127.0.0.1:" + RestAssured.port,
                "--out", OUT.toString(), "--token", FakeUpstreamResource.CLIENT_KEY,
                "--host-port", String.valueOf(FakeUpstreamResource.corsPort)), 240);

        JsonNode summary = new ObjectMapper().readTree(out.substring(out.indexOf('{')));
        assertThat(summary.toString()).doesNotContain("\"error\":\"");
        // The page's conversation: a follow-up sent the first turn as history; after 新对话 none.
        assertThat(summary.findValue("conversation").path("follow_up_history_turns").asInt()).isEqualTo(1);
        assertThat(summary.findValue("conversation").path("history_after_new_conversation").asInt()).isZero();
        for (String shot : List.of("page-desktop.png", "page-phone.png", "widget-desktop.png", "widget-phone.png")) {
            assertThat(OUT.resolve(shot)).exists();
            assertThat(Files.size(OUT.resolve(shot))).as(shot).isGreaterThan(5_000);
        }
        assertThat(new String(Files.readAllBytes(OUT.resolve("page-desktop.png")), StandardCharsets.ISO_8859_1)).startsWith("\u0089PNG");
    }

    /**
     * The README's quick start: the packaged app with no configuration at all (no LLM key, the sample
     * knowledge base, no credentials on a private host). The page and the widget answer extractively
     * with the matching article and its source; the extract comes whole, so no growth is required.
     */
    @Test
    void the_quick_start_without_an_llm_key_answers_extractively_in_the_page_and_the_widget() throws Exception {
        int hostPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            hostPort = socket.getLocalPort();
        }
        Path out = OUT.resolve("extractive");
        Files.createDirectories(out);
        try (AppProcess app = AppProcess.start(java.util.Map.of("JINGNEI_CORS_ORIGINS", "http://127.0.0.1:" + hostPort))) {
            String result = OpenAiNodeSdkIT.run(List.of("node", "browser-check.mjs", "--app", "http://127.0.0.1:" + app.port,
                    "--out", out.toString(), "--question", "退货要多久能到账？", "--host-port", String.valueOf(hostPort), "--min-steps", "0"), 240);

            JsonNode summary = new ObjectMapper().readTree(result.substring(result.indexOf('{')));
            assertThat(summary.toString()).doesNotContain("\"error\":\"");
            assertThat(summary.findValue("conversation").path("follow_up_history_turns").asInt()).isEqualTo(1);
            assertThat(summary.findValuesAsText("answer")).hasSize(2).allSatisfy(answer ->
                    assertThat(answer).isNotBlank().doesNotContain("抱歉，我在知识库中未找到相关信息"));
            assertThat(app.logText()).contains("\"mode\":\"extractive\"");
        }
    }

    @Test
    void the_official_openai_sdk_streams_from_a_page_of_another_origin_with_an_end_user_token() throws Exception {
        FakeUpstreamResource.upstream.reset();
        FakeUpstreamResource.upstream.fallback(Reply.stream(20, "退款", "三天", "到账"));
        com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.HS256)
                .type(com.nimbusds.jose.JOSEObjectType.JWT).build(), new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("visitor-7")
                .issuer(FakeUpstreamResource.JWT_ISSUER).audience(FakeUpstreamResource.JWT_AUDIENCE)
                .expirationTime(java.util.Date.from(java.time.Instant.now().plusSeconds(300))).build());
        jwt.sign(new com.nimbusds.jose.crypto.MACSigner(FakeUpstreamResource.JWT_SECRET.getBytes(StandardCharsets.UTF_8)));

        String out = OpenAiNodeSdkIT.run(List.of("node", "browser-sdk-check.mjs", "--app", "http://127.0.0.1:" + RestAssured.port,
                "--token", jwt.serialize(), "--host-port", String.valueOf(FakeUpstreamResource.corsPort)), 120);

        JsonNode summary = new ObjectMapper().readTree(out.substring(out.indexOf('{')));
        assertThat(summary.has("error")).as(out).isFalse();
        assertThat(summary.path("result").path("text").asText()).isEqualTo("退款三天到账");
        assertThat(summary.path("result").path("requestId").asText()).as("x-request-id is exposed").isNotBlank();
        assertThat(summary.path("result").path("refused").path("status").asInt()).isEqualTo(400);
        assertThat(summary.path("result").path("refused").path("shouldRetry").asText()).as("x-should-retry is exposed").isEqualTo("false");
        assertThat(summary.path("consoleErrors").toString()).doesNotContain("CORS");
    }
}
