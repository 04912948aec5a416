package io.jingnei.core.cache;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.config.Env;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.pii.PiiPolicy;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-instance answer cache: what is kept, for whom, for how long, and that no customer's data is kept at all. */
class AnswerCacheTest {
    private static final String SCOPE = "rag-query\ndeepseek-v3.2\nprompt-v2\nindex-41fc";

    private final TickingClock clock = new TickingClock();
    /** Everything written to the store, to show what a cache dump would reveal. */
    private final List<String> written = new ArrayList<>();

    private AnswerCache cache(Map<String, String> env) {
        return cache(env, "mask");
    }

    private AnswerCache cache(Map<String, String> env, String piiMode) {
        Map<String, String> settings = new HashMap<>(env);
        CacheSettings cacheSettings = CacheSettings.from(Env.of(settings));
        CacheStore local = new LocalCacheStore(cacheSettings.maxLocalEntries, clock);
        CacheStore recording = new CacheStore() {
            @Override
            public CompletableFuture<Optional<String>> get(String key) {
                return local.get(key);
            }

            @Override
            public CompletableFuture<Void> put(String key, String value, Duration ttl) {
                written.add(value);
                return local.put(key, value, ttl);
            }

            @Override
            public CompletableFuture<Optional<String>> nearest(String scope, float[] vector, double minSimilarity) {
                return local.nearest(scope, vector, minSimilarity);
            }

            @Override
            public CompletableFuture<Void> remember(String scope, float[] vector, String key, Duration ttl) {
                return local.remember(scope, vector, key, ttl);
            }

            @Override
            public String describe() {
                return local.describe();
            }
        };
        return new AnswerCache(cacheSettings, recording, Optional.empty(), PiiPolicy.from(Env.of(Map.of("JINGNEI_PII", piiMode))));
    }

    private static ObjectNode answer(String text) {
        return JsonNodeFactory.instance.objectNode().put("answer", text).put("model", "deepseek-v3.2");
    }

    private static Optional<AnswerCache.Hit> exact(AnswerCache cache, AnswerCache.Key key) {
        return cache.exact(key).join();
    }

    @Test
    void the_same_question_written_differently_is_served_from_the_cache_in_its_own_scope_only() {
        AnswerCache cache = cache(Map.of());
        cache.store(cache.key("退款多久能到账？", SCOPE), answer("1-3个工作日到账。"), null, "answer");

        assertThat(exact(cache, cache.key("  退款多久能到账?", SCOPE))).hasValueSatisfying(hit -> {
            assertThat(hit.text("answer")).isEqualTo("1-3个工作日到账。");
            assertThat(hit.how).isEqualTo("exact");
        });
        assertThat(exact(cache, cache.key("退款多久能到账？", SCOPE.replace("prompt-v2", "prompt-v3")))).isEmpty();
        assertThat(exact(cache, cache.key("退货多久能到账？", SCOPE))).isEmpty();
    }

    @Test
    void one_customers_number_is_never_stored_nor_served_to_another_who_gets_their_own_back() {
        AnswerCache cache = cache(Map.of());
        AnswerCache.Key alice = cache.key("我的手机号13812345678，怎么修改收货地址？", SCOPE);
        cache.store(alice, answer("已向13812345678发送验证码，请在订单页修改地址。"), null, "answer");

        AnswerCache.Key bob = cache.key("我的手机号13987654321，怎么修改收货地址？", SCOPE);
        Optional<AnswerCache.Hit> hit = exact(cache, bob);

        assertThat(hit).isPresent();
        assertThat(hit.get().text("answer")).isEqualTo("已向13987654321发送验证码，请在订单页修改地址。");
        assertThat(hit.get().answer().toString()).doesNotContain("13812345678");
        assertThat(written).hasSize(1);
        assertThat(written.get(0)).doesNotContain("13812345678").contains("[手机号1]");
    }

    @Test
    void the_semantic_cache_embeds_the_masked_question_so_no_stored_vector_derives_from_a_customers_number() {
        AnswerCache cache = cache(Map.of());
        AnswerCache.Key withPhone = cache.key("我的手机号13812345678收不到验证码", SCOPE);
        AnswerCache.Key without = cache.key("收不到验证码怎么办", SCOPE);

        assertThat(withPhone.maskedQuestion()).isEqualTo("我的手机号[手机号1]收不到验证码");
        assertThat(withPhone.masked()).isTrue();
        assertThat(without.maskedQuestion()).isEqualTo("收不到验证码怎么办");
        assertThat(without.masked()).isFalse();
    }

    @Test
    void an_answer_holding_personal_data_the_question_did_not_is_not_kept() {
        AnswerCache cache = cache(Map.of());
        AnswerCache.Key key = cache.key("售后电话是多少？", SCOPE);

        cache.store(key, answer("请拨打售后专员电话13600001111。"), null, "answer");

        assertThat(written).isEmpty();
        assertThat(exact(cache, cache.key("售后电话是多少？", SCOPE))).isEmpty();
    }

    @Test
    void entries_expire_after_the_ttl() {
        AnswerCache cache = cache(Map.of("JINGNEI_CACHE_TTL", "10m"));
        cache.store(cache.key("发票怎么开？", SCOPE), answer("在订单详情页申请电子发票。"), null, "answer");

        clock.advance(Duration.ofMinutes(9));
        assertThat(exact(cache, cache.key("发票怎么开？", SCOPE))).isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(exact(cache, cache.key("发票怎么开？", SCOPE))).isEmpty();
    }

    @Test
    void the_least_recently_used_answer_leaves_first_when_the_cache_is_full() {
        AnswerCache cache = cache(Map.of("JINGNEI_CACHE_MAX_ENTRIES", "10"));
        for (int i = 0; i < 10; i++) {
            cache.store(cache.key("问题" + i, SCOPE), answer("回答" + i), null, "answer");
        }
        assertThat(exact(cache, cache.key("问题0", SCOPE))).isPresent();

        cache.store(cache.key("问题10", SCOPE), answer("回答10"), null, "answer");

        assertThat(exact(cache, cache.key("问题0", SCOPE))).as("read just now, so kept").isPresent();
        assertThat(exact(cache, cache.key("问题1", SCOPE))).as("least recently used").isEmpty();
        assertThat(exact(cache, cache.key("问题10", SCOPE))).isPresent();
    }

    @Test
    void semantic_mode_serves_the_nearest_question_above_the_similarity_and_nothing_below_it() {
        AnswerCache cache = cache(Map.of("JINGNEI_CACHE", "semantic", "JINGNEI_CACHE_SIMILARITY", "0.9"));
        float[] stored = unit(1, 0, 0);
        cache.store(cache.key("退款多久到账", SCOPE), answer("1-3个工作日。"), stored, "answer");

        assertThat(cache.similar(cache.key("钱多久能退回来", SCOPE), unit(0.95f, 0.31f, 0)).join())
                .hasValueSatisfying(hit -> assertThat(hit.how).isEqualTo("semantic"));
        assertThat(cache.similar(cache.key("钱多久能退回来", SCOPE), unit(0.8f, 0.6f, 0)).join()).as("cosine 0.8").isEmpty();
        assertThat(cache.similar(cache.key("钱多久能退回来", "another scope"), unit(1, 0, 0)).join()).isEmpty();
    }

    @Test
    void exact_mode_never_answers_by_similarity_and_off_keeps_nothing() {
        AnswerCache exactOnly = cache(Map.of("JINGNEI_CACHE", "exact"));
        exactOnly.store(exactOnly.key("退款多久到账", SCOPE), answer("1-3个工作日。"), unit(1, 0, 0), "answer");
        assertThat(exactOnly.similar(exactOnly.key("钱多久能退回来", SCOPE), unit(1, 0, 0)).join()).isEmpty();

        written.clear();
        AnswerCache off = cache(Map.of("JINGNEI_CACHE", "off"));
        off.store(off.key("退款多久到账", SCOPE), answer("1-3个工作日。"), unit(1, 0, 0), "answer");
        assertThat(written).isEmpty();
        assertThat(exact(off, off.key("退款多久到账", SCOPE))).isEmpty();
    }

    @Test
    void without_redis_start_up_says_the_cache_is_per_instance() {
        List<String> log = new ArrayList<>();
        AnswerCache.from(CacheSettings.from(Env.of(Map.of())), Optional.empty(), PiiPolicy.from(Env.of(Map.of())), clock,
                new CallLog(log::add));

        assertThat(log).singleElement().asString().contains("answer cache (exact) is kept per instance", "\"ttl_s\":86400");
    }

    @Test
    void with_masking_off_upstream_the_cache_still_keeps_no_customers_number_and_serves_none_to_another() {
        AnswerCache cache = cache(Map.of("JINGNEI_CACHE", "semantic"), "off");
        AnswerCache.Key alice = cache.key("我的手机13800001111，快递到哪了？", SCOPE);
        cache.store(alice, answer("已给13800001111发送物流短信。"), unit(1, 0, 0), "answer");

        AnswerCache.Key bob = cache.key("我的手机13900002222，快递到哪了？", SCOPE);
        assertThat(written).singleElement().asString().doesNotContain("13800001111");
        assertThat(exact(cache, bob)).hasValueSatisfying(hit -> assertThat(hit.text("answer")).isEqualTo("已给13900002222发送物流短信。"));
        assertThat(cache.similar(cache.key("我的快递到哪了", SCOPE), unit(1, 0, 0)).join())
                .as("a similar question without a number cannot be given an answer that holds one").isEmpty();
    }

    @Test
    void a_semantic_hit_that_would_show_an_unknown_placeholder_is_a_miss_and_one_without_placeholders_is_a_hit() {
        AnswerCache cache = cache(Map.of("JINGNEI_CACHE", "semantic"));
        cache.store(cache.key("我的手机13800001111收不到验证码", SCOPE), answer("请确认[手机号1]未欠费，再重新获取。"), unit(1, 0, 0), "answer");
        cache.store(cache.key("收不到验证码怎么办", "scope-2"), answer("请检查短信拦截设置。"), unit(0, 1, 0), "answer");

        assertThat(cache.similar(cache.key("验证码收不到", SCOPE), unit(1, 0, 0)).join()).isEmpty();
        assertThat(cache.similar(cache.key("验证码一直收不到", "scope-2"), unit(0, 1, 0)).join()).isPresent();
    }

    @Test
    void in_block_mode_a_question_with_personal_information_is_refused_before_any_lookup() {
        AnswerCache cache = cache(Map.of(), "block");

        assertThatThrownBy(() -> cache.key("我的身份证110101199003074514丢了怎么办", SCOPE))
                .isInstanceOfSatisfying(JingneiException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.PII_DETECTED);
                    assertThat(e.getMessage()).doesNotContain("110101199003074514");
                });
        assertThat(cache.key("身份证丢了怎么办", SCOPE)).isNotNull();
    }

    private static float[] unit(float... values) {
        double norm = 0;
        for (float v : values) {
            norm += v * v;
        }
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) (values[i] / Math.sqrt(norm));
        }
        return out;
    }

    private static final class TickingClock extends Clock {
        private Instant now = Instant.parse("2026-11-27T02:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
