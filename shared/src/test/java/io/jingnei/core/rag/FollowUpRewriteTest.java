package io.jingnei.core.rag;

import io.jingnei.core.call.CallContext;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;
import io.jingnei.core.llm.ChatMessage;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.util.TimeSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rewrite's settings, when it is off, its prompt, and which answers count as a standalone question. */
class FollowUpRewriteTest {
    private static final RagRequest FOLLOW_UP = new RagRequest("信用卡呢？", null, null, null, null, null,
            List.of(new ChatMessage("user", "借记卡丢了怎么办"), new ChatMessage("assistant", "请立即挂失。")));

    @Test
    void the_settings_default_to_off_with_the_answer_model_and_two_seconds() {
        RagConfig config = RagConfig.from(Env.of(Map.of()));
        assertThat(config.rewriteWithLlm).isFalse();
        assertThat(config.rewriteModel).isEmpty();
        assertThat(config.rewriteTimeout).isEqualTo(Duration.ofSeconds(2));
        RagConfig on = RagConfig.from(Env.of(Map.of("JINGNEI_RAG_REWRITE", "LLM", "JINGNEI_RAG_REWRITE_MODEL", "qwen-turbo",
                "JINGNEI_RAG_REWRITE_TIMEOUT", "800ms")));
        assertThat(on.rewriteWithLlm).isTrue();
        assertThat(on.rewriteModel).contains("qwen-turbo");
        assertThat(on.rewriteTimeout).isEqualTo(Duration.ofMillis(800));
    }

    @Test
    void a_wrong_setting_stops_start_up_naming_it() {
        assertThatThrownBy(() -> RagConfig.from(Env.of(Map.of("JINGNEI_RAG_REWRITE", "on"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("JINGNEI_RAG_REWRITE must be one of off, llm");
        assertThatThrownBy(() -> RagConfig.from(Env.of(Map.of("JINGNEI_RAG_REWRITE_TIMEOUT", "0s"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("JINGNEI_RAG_REWRITE_TIMEOUT");
        assertThatThrownBy(() -> RagConfig.from(Env.of(Map.of("JINGNEI_RAG_REWRITE_TIMEOUT", "1m"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("at most 30s");
    }

    @Test
    void without_an_llm_the_rewrite_is_off_said_once_at_start_and_never_called() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        RagConfig asked = RagConfig.from(Env.of(Map.of("JINGNEI_RAG_REWRITE", "llm")));

        // no Completions at all: a call would fail with a NullPointerException
        FollowUpRewrite rewrite = new FollowUpRewrite(null, asked, false, 3, new CallLog(log::add), TimeSource.system());

        assertThat(rewrite.on()).isFalse();
        assertThat(log).hasSize(1);
        assertThat(log.get(0)).contains("JINGNEI_RAG_REWRITE=llm is off").contains("no LLM is configured").contains("WARN");
        FollowUpRewrite.Outcome outcome = rewrite.rewrite(FOLLOW_UP, "借记卡丢了怎么办", "qwen-plus",
                new CallContext("r-1", "rag-query", Caller.anonymous())).get();
        assertThat(outcome.used()).isFalse();
        assertThat(outcome.status).isNull();
        assertThat(log).hasSize(1);
    }

    @Test
    void off_by_default_says_nothing() {
        List<String> log = new CopyOnWriteArrayList<>();
        assertThat(new FollowUpRewrite(null, RagConfig.from(Env.of(Map.of())), true, 3, new CallLog(log::add), TimeSource.system()).on()).isFalse();
        assertThat(log).isEmpty();
    }

    @Test
    void the_prompt_holds_the_recent_turns_and_the_question_and_cuts_long_answers() {
        String longAnswer = "请立即挂失。".repeat(40);
        var body = FollowUpRewrite.body(List.of(new ChatMessage("user", "很早的问题"), new ChatMessage("assistant", "很早的回答"),
                new ChatMessage("user", "借记卡丢了怎么办"), new ChatMessage("assistant", longAnswer)), "信用卡呢？", 1);
        String conversation = body.path("messages").get(1).path("content").asText();
        assertThat(conversation).doesNotContain("很早").contains("用户：借记卡丢了怎么办").endsWith("用户最后的问题：信用卡呢？");
        assertThat(conversation.length()).isLessThan(longAnswer.length());
        assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(FollowUpRewrite.MAX_TOKENS);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "信用卡丢了怎么办？|信用卡丢了怎么办？",
            "  “信用卡丢了怎么办？”  |信用卡丢了怎么办？",
            "改写后的问题：信用卡丢了怎么办？|信用卡丢了怎么办？",
            "问题: 信用卡丢了怎么办|信用卡丢了怎么办",
            "“”|NULL",
            "？？？|NULL",
            "[NO_ANSWER]|NULL",
            "|NULL",
    })
    void an_answer_counts_as_a_rewrite_only_when_it_is_one_short_question(String answer, String expected) {
        assertThat(FollowUpRewrite.standalone(answer)).isEqualTo(expected);
    }

    @Test
    void several_lines_or_a_long_text_are_not_a_rewrite() {
        assertThat(FollowUpRewrite.standalone("信用卡丢了怎么办？\n请先挂失。")).isNull();
        assertThat(FollowUpRewrite.standalone("信".repeat(FollowUpRewrite.MAX_CHARS + 1))).isNull();
        assertThat(FollowUpRewrite.standalone("信".repeat(FollowUpRewrite.MAX_CHARS))).isNotNull();
    }
}
