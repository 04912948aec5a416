package io.jingnei.core.llm;

import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;
import io.jingnei.core.config.JingneiConfig;
import io.jingnei.core.http.SharedHttpClient;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.testing.FakeTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Upstream settings that would only fail in the incident they were written for fail at start-up instead. */
class UpstreamSettingsTest {
    private static final SharedHttpClient HTTP = new SharedHttpClient(4, Duration.ofSeconds(1), Duration.ofSeconds(1));
    private static final String TWO = "[{\"name\":\"holysheep\",\"base_url\":\"https://api.holysheep.ai/v1\",\"api_keys\":[\"k1\"],"
            + "\"models\":[\"deepseek-v3.2\",\"claude-sonnet-4.5\"]},{\"name\":\"deepseek\",\"base_url\":\"https://api.deepseek.com/v1\","
            + "\"api_keys\":[\"k2\"],\"models\":[\"deepseek-v3.2\"]%s}]";

    @AfterAll
    static void close() {
        HTTP.close();
    }

    private static Router build(Map<String, String> settings) {
        Env env = Env.of(settings);
        return Routers.build(env, JingneiConfig.from(env), HTTP, new FakeTime(), new CallLog(line -> { }), uri -> new byte[0]);
    }

    @Test
    void a_fallback_chain_naming_a_model_no_upstream_serves_stops_the_boot() {
        assertThatThrownBy(() -> build(Map.of("JINGNEI_UPSTREAMS", String.format(TWO, ""),
                "JINGNEI_FALLBACK", "claude-sonnet-4.5>deepsek-v3.2")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'deepsek-v3.2'");
        assertThat(build(Map.of("JINGNEI_UPSTREAMS", String.format(TWO, ""), "JINGNEI_FALLBACK", "claude-sonnet-4.5>deepseek-v3.2"))
                .fallbacks().chainOf("claude-sonnet-4.5")).containsExactly("claude-sonnet-4.5", "deepseek-v3.2");
        assertThat(build(Map.of("JINGNEI_LLM_API_KEY", "k", "JINGNEI_FALLBACK", "any-model>another")).fallbacks())
                .as("the single upstream serves any model").isNotNull();
    }

    @Test
    void an_upstream_timeout_must_be_positive() {
        assertThatThrownBy(() -> build(Map.of("JINGNEI_UPSTREAMS", String.format(TWO, ",\"timeout\":0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> build(Map.of("JINGNEI_UPSTREAMS", String.format(TWO, ",\"timeout\":\"-5s\""))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("timeout");
        assertThat(build(Map.of("JINGNEI_UPSTREAMS", String.format(TWO, ",\"timeout\":\"90s\""))).upstreams()).hasSize(2);
    }
}
