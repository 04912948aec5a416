package io.jingnei.core.call;

import io.jingnei.core.auth.Caller;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A site that uses phone numbers as user ids sends none to the LLM provider or the log. */
class CallContextTest {

    @Test
    void a_phone_number_as_user_id_is_masked_for_the_log_and_the_upstream_but_limits_keep_the_callers_id() {
        CallContext ctx = new CallContext("r", "chat", Caller.user(Caller.Via.JWT, "13812345678"));

        assertThat(ctx.userId).isEqualTo("[手机号1]");
        assertThat(ctx.caller.limitKey()).isEqualTo("13812345678");
        assertThat(ctx.withBodyUser("visitor-13987654321").userId).startsWith("[手机号1]/visitor-[手机号")
                .doesNotContain("13812345678").doesNotContain("13987654321");
    }

    @Test
    void ordinary_ids_and_labels_are_kept_as_they_are() {
        CallContext ctx = new CallContext("r", "chat", Caller.user(Caller.Via.CLIENT_KEY, "shop-a"));

        assertThat(ctx.userId).isEqualTo("shop-a");
        assertThat(ctx.withBodyUser("visitor-42").userId).isEqualTo("shop-a/visitor-42");
        assertThat(new CallContext("r", "chat", Caller.anonymous()).userId).isNull();
    }

    @Test
    void notes_reach_the_log_line_whoever_writes_it_and_a_sub_call_has_its_own() {
        CallContext ctx = new CallContext("r", "rag-query", Caller.user(Caller.Via.CLIENT_KEY, "shop-a"));
        CallContext asUser = ctx.withBodyUser("visitor-42");
        CallContext step = ctx.forFunction("rag-rewrite", "r");

        asUser.note("rewrite", "used");
        ctx.note("rewrite_ms", 12L);
        ctx.note("ignored", null);

        assertThat(ctx.notes()).containsOnlyKeys("rewrite", "rewrite_ms");
        assertThat(asUser.notes()).isEqualTo(ctx.notes());
        assertThat(step.notes()).isEmpty();
    }
}
