package io.jingnei.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.RedisServer;
import io.jingnei.core.testing.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the packaged app sharing one real redis-server: limits are exact across them,
 * the answer cache is shared, and a Redis outage fails no call. Each test uses its own client key,
 * so its counters start from zero.
 */
class SharedLimitsAndCacheIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RedisServer redis;
    private static FakeUpstream upstream;
    private static AppProcess a;
    private static AppProcess b;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        upstream = FakeUpstream.start();
        Map<String, String> env = new HashMap<>();
        env.put("JINGNEI_LLM_BASE_URL", upstream.baseUrl());
        env.put("JINGNEI_LLM_API_KEY", FakeUpstream.KEY);
        env.put("JINGNEI_REDIS_URL", redis.url());
        env.put("JINGNEI_CLIENT_KEYS", "ck-rpm-0000001:rpm-user,ck-tpm-0000002:tpm-user,ck-budget-00003:budget-user,"
                + "ck-cache-000004:cache-user,ck-outage-00005:outage-user,ck-stream-00006:stream-user");
        env.put("JINGNEI_ADMIN_KEYS", "ak-admin-0000009");
        env.put("JINGNEI_LIMITS", "*:rpm=1000;rpm-user:rpm=5;tpm-user:tpm=100;budget-user:cny_day=0.000006;outage-user:rpm=3;stream-user:rpm=2");
        env.put("JINGNEI_CACHE", "semantic");
        env.put("JINGNEI_CACHE_SIMILARITY", "0.90");
        a = AppProcess.start(env);
        b = AppProcess.start(env);
    }

    @AfterAll
    static void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        upstream.close();
        redis.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    private static AppProcess instance(int i) {
        return i % 2 == 0 ? a : b;
    }

    @Test
    void rpm_five_gives_exactly_five_answers_out_of_eight_calls_spread_over_two_instances() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> refused = null;
        List<String> questions = List.of("发票怎么开", "运费谁出", "忘记密码怎么办", "会员年卡多少钱", "能开专票吗", "快递到哪了",
                "积分多久过期", "可以改地址吗");
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> response = instance(i).post("/chat", "ck-rpm-0000001", "{\"query\":\"" + questions.get(i) + "\"}");
            statuses.add(response.statusCode());
            if (response.statusCode() == 429) {
                refused = response;
            }
        }

        assertThat(statuses.stream().filter(s -> s == 200)).hasSize(5);
        assertThat(statuses.stream().filter(s -> s == 429)).hasSize(3);
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(s -> assertThat(Integer.parseInt(s)).isBetween(1, 60));
        assertThat(JSON.readTree(refused.body()).path("status").asText()).isEqualTo("rate_limited");
        HttpResponse<String> v1 = a.post("/v1/chat/completions", "ck-rpm-0000001", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(v1.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(v1.body()).path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(v1.headers().firstValue("x-should-retry")).as("SDKs may retry after Retry-After").contains("true");
        assertThat(upstream.completionRequests()).hasSize(5);
    }

    @Test
    void tokens_per_minute_count_actual_usage_across_instances() throws Exception {
        upstream.fallback(Reply.completion("好的", 40, 30));

        HttpResponse<String> first = a.post("/chat", "ck-tpm-0000002", "{\"query\":\"问题一\",\"max_tokens\":10}");
        HttpResponse<String> second = b.post("/chat", "ck-tpm-0000002", "{\"query\":\"问题二\",\"max_tokens\":10}");
        HttpResponse<String> third = a.post("/chat", "ck-tpm-0000002", "{\"query\":\"问题三\",\"max_tokens\":10}");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).as("70 used + ~13 estimated < 100").isEqualTo(200);
        assertThat(third.statusCode()).as("140 used").isEqualTo(429);
        assertThat(JSON.readTree(third.body()).path("error").asText()).contains("tokens per minute");
    }

    @Test
    void a_spend_budget_stops_calls_with_insufficient_quota_once_used_up_and_usage_reports_it() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> last = null;
        for (int i = 0; i < 4; i++) {
            last = instance(i).post("/v1/chat/completions", "ck-budget-00003",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"预算问题" + i + "\"}]}");
            statuses.add(last.statusCode());
        }

        assertThat(statuses).containsExactly(200, 200, 429, 429);
        JsonNode error = JSON.readTree(last.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("insufficient_quota");
        assertThat(last.headers().firstValue("x-should-retry")).as("a spent budget does not come back in seconds").contains("false");
        assertThat(error.path("message").asText()).contains("daily budget").contains("resets at");
        JsonNode usage = JSON.readTree(b.get("/v1/usage", "ck-budget-00003").body());
        assertThat(usage.path("today").path("spent_cny").decimalValue()).isEqualByComparingTo("0.00001008");
        assertThat(usage.path("today").path("remaining_cny").decimalValue()).isEqualByComparingTo("0");
        assertThat(a.get("/v1/usage?user=budget-user", "ck-rpm-0000001").statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(a.get("/v1/usage?user=budget-user", "ak-admin-0000009").body()).path("user").asText()).isEqualTo("budget-user");
    }

    @Test
    void the_answer_cache_is_shared_exactly_and_by_similar_question_and_costs_nothing() throws Exception {
        upstream.fallback(Reply.completion("退款在商家确认收货后24小时内发起。", 300, 20));

        HttpResponse<String> asked = a.post("/rag-query", "ck-cache-000004", "{\"query\":\"退货要多久能到账？\"}");
        HttpResponse<String> same = b.post("/rag-query", "ck-cache-000004", "{\"query\":\"退货要多久能到账?  \"}");
        HttpResponse<String> similar = b.post("/rag-query", "ck-cache-000004", "{\"query\":\"退货多久能到账\"}");

        assertThat(JSON.readTree(asked.body()).has("cached")).isFalse();
        JsonNode exact = JSON.readTree(same.body());
        assertThat(exact.path("cached").asBoolean()).isTrue();
        assertThat(exact.path("answer").asText()).contains("24小时");
        assertThat(exact.path("cost").path("cny").decimalValue()).isEqualByComparingTo("0");
        assertThat(exact.path("usage").path("total_tokens").asInt()).isZero();
        assertThat(JSON.readTree(similar.body()).path("cached").asBoolean()).as("a paraphrase, by the semantic cache").isTrue();
        assertThat(upstream.completionRequests()).hasSize(1);
        assertThat(b.logText()).contains("\"cache\":\"exact\"").contains("\"cache\":\"semantic\"");
    }

    @Test
    void a_question_with_personal_information_is_answered_afresh_for_each_customer() throws Exception {
        upstream.fallback(Reply.echo(0));

        HttpResponse<String> first = a.post("/chat", "ck-cache-000004", "{\"query\":\"我的手机13812345678收不到验证码\"}");
        HttpResponse<String> second = b.post("/chat", "ck-cache-000004", "{\"query\":\"我的手机13900001111收不到验证码\"}");

        assertThat(JSON.readTree(first.body()).path("content").asText()).contains("13812345678");
        JsonNode fresh = JSON.readTree(second.body());
        assertThat(fresh.has("cached")).as("both numbers mask to one placeholder; no answer is keyed on it").isFalse();
        assertThat(fresh.path("content").asText()).contains("13900001111").doesNotContain("13812345678");
        assertThat(upstream.completionRequests()).hasSize(2);
    }

    @Test
    void a_stream_is_replayed_from_the_cache_as_a_stream() throws Exception {
        upstream.fallback(Reply.stream(0, "您好", "，", "请问", "有什么", "可以帮您"));
        a.post("/chat-stream", "ck-cache-000004", "{\"query\":\"在吗在吗\"}");

        HttpResponse<String> replay = b.post("/chat-stream", "ck-cache-000004", "{\"query\":\"在吗在吗\"}");

        assertThat(replay.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        assertThat(replay.body()).contains("您好").contains("[DONE]");
        assertThat(upstream.completionRequests()).hasSize(1);
    }

    @Test
    void rag_query_and_rag_stream_share_their_cached_answers_across_instances() throws Exception {
        // top_k 2: a scope of its own, so the paraphrases of the other cache test never meet these questions.
        upstream.enqueue(Reply.completion("换货时选择新的尺码或颜色，商家收到原商品后寄出新商品。", 300, 20));
        a.post("/rag-query", "ck-cache-000004", "{\"query\":\"换货流程是什么？\",\"top_k\":2}");

        List<JsonNode> replayed = events(b.post("/rag-stream", "ck-cache-000004", "{\"query\":\"换货流程是什么？\",\"top_k\":2}"));

        assertThat(replayed.get(0).path("sources").get(0).path("id").asText()).isEqualTo("exchange");
        assertThat(text(replayed)).isEqualTo("换货时选择新的尺码或颜色，商家收到原商品后寄出新商品。");
        assertThat(replayed.get(replayed.size() - 1).path("cached").asBoolean()).isTrue();
        assertThat(upstream.completionRequests()).hasSize(1);

        upstream.enqueue(Reply.stream(0, "质量问题", "由商家", "承担运费。"));
        List<JsonNode> streamed = events(a.post("/rag-stream", "ck-cache-000004", "{\"query\":\"退货运费由谁承担？\",\"top_k\":2}"));
        JsonNode asked = JSON.readTree(b.post("/rag-query", "ck-cache-000004", "{\"query\":\"退货运费由谁承担？\",\"top_k\":2}").body());

        assertThat(streamed.get(streamed.size() - 1).has("cached")).isFalse();
        assertThat(asked.path("cached").asBoolean()).isTrue();
        assertThat(asked.path("answer").asText()).isEqualTo("质量问题由商家承担运费。");
        assertThat(upstream.completionRequests()).hasSize(2);
    }

    /** The JSON events of an SSE answer, without the closing [DONE]. */
    private static List<JsonNode> events(HttpResponse<String> response) throws Exception {
        assertThat(response.body()).endsWith("data: [DONE]\n\n");
        List<JsonNode> events = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
                events.add(JSON.readTree(line.substring(6)));
            }
        }
        return events;
    }

    /** The answer text of rag-stream events: every delta between the sources and the final event. */
    private static String text(List<JsonNode> events) {
        StringBuilder text = new StringBuilder();
        for (JsonNode event : events.subList(1, events.size() - 1)) {
            text.append(event.path("choices").path(0).path("delta").path("content").asText(""));
        }
        return text.toString();
    }

    @Test
    void a_stream_in_progress_is_not_cut_when_its_user_hits_the_limit() throws Exception {
        upstream.enqueue(Reply.stream(200, "一", "二", "三", "四", "五"));
        java.util.concurrent.CompletableFuture<HttpResponse<String>> running = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return a.post("/chat-stream", "ck-stream-00006", "{\"query\":\"慢慢说\"}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        b.post("/chat", "ck-stream-00006", "{\"query\":\"第二个\"}");
        HttpResponse<String> overLimit = b.post("/chat", "ck-stream-00006", "{\"query\":\"第三个\"}");

        assertThat(overLimit.statusCode()).isEqualTo(429);
        HttpResponse<String> stream = running.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(stream.body()).contains("五").contains("[DONE]");
    }

    @Test
    void with_redis_down_calls_keep_working_and_after_a_restart_the_counts_resume() throws Exception {
        assertThat(a.post("/chat", "ck-outage-00005", "{\"query\":\"宕机前\"}").statusCode()).isEqualTo(200);
        redis.kill();
        try {
            for (int i = 0; i < 5; i++) {
                assertThat(instance(i).post("/chat", "ck-outage-00005", "{\"query\":\"宕机中" + i + "\"}").statusCode())
                        .as("fail open").isEqualTo(200);
            }
            assertThat(a.logText() + b.logText()).contains("redis unavailable").contains("JINGNEI_LIMITS_ON_REDIS_ERROR=open");
            long warnings = (a.logText() + b.logText()).lines().filter(l -> l.contains("redis unavailable")).count();
            assertThat(warnings).as("logged once a minute per instance, not per call").isLessThanOrEqualTo(4);
        } finally {
            redis.restart();
        }
        List<Integer> after = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            after.add(instance(i).post("/chat", "ck-outage-00005", "{\"query\":\"恢复后" + i + "\"}").statusCode());
        }
        assertThat(after).as("one call was counted before the outage: 2 more of 3 go through").containsExactly(200, 200, 429, 429);
    }
}
