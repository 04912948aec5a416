package io.jingnei.core.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JingneiConfigTest {

    @Test
    void defaults_point_at_the_domestic_endpoint() {
        JingneiConfig config = JingneiConfig.from(Env.of(Map.of()));
        assertThat(config.llmBaseUrl).isEqualTo("https://api.holysheep.ai/v1");
        assertThat(config.defaultModel).isEqualTo("deepseek-v3.2");
        assertThat(config.llmApiKey()).isEmpty();
        assertThat(config.historyTurns).isEqualTo(5);
    }

    @Test
    void accepts_the_holysheep_key_name_and_trims_it() {
        JingneiConfig config = JingneiConfig.from(Env.of(Map.of("HOLYSHEEP_API_KEY", "  sk-abc \n")));
        assertThat(config.llmApiKey()).contains("sk-abc");
    }

    @Test
    void the_jingnei_key_wins_over_the_holysheep_one() {
        JingneiConfig config = JingneiConfig.from(Env.of(Map.of("HOLYSHEEP_API_KEY", "sk-old", "JINGNEI_LLM_API_KEY", "sk-new")));
        assertThat(config.llmApiKey()).contains("sk-new");
    }

    @Test
    void reads_durations_in_the_usual_forms() {
        JingneiConfig config = JingneiConfig.from(Env.of(Map.of(
                "JINGNEI_LLM_CONNECT_TIMEOUT", "750ms", "JINGNEI_LLM_RESPONSE_TIMEOUT", "2m", "JINGNEI_STREAM_IDLE_TIMEOUT", "PT15S",
                "JINGNEI_LLM_DEADLINE", "90")));
        assertThat(config.connectTimeout).isEqualTo(Duration.ofMillis(750));
        assertThat(config.responseTimeout).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.streamIdleTimeout).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.callDeadline).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void a_bad_value_names_its_variable() {
        assertThatThrownBy(() -> JingneiConfig.from(Env.of(Map.of("JINGNEI_LLM_MAX_RETRIES", "lots"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("JINGNEI_LLM_MAX_RETRIES");
        assertThatThrownBy(() -> JingneiConfig.from(Env.of(Map.of("JINGNEI_LLM_RESPONSE_TIMEOUT", "soon"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("JINGNEI_LLM_RESPONSE_TIMEOUT");
    }

    @Test
    void the_key_never_shows_in_to_string() {
        JingneiConfig config = JingneiConfig.from(Env.of(Map.of("JINGNEI_LLM_API_KEY", "sk-secret-value")));
        assertThat(config.toString()).doesNotContain("sk-secret-value").contains("apiKey=set");
    }
}
