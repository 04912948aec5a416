package io.jingnei.core.llm;

import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;
import io.jingnei.core.testing.FakeTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each mistake in a JINGNEI_UPSTREAMS entry stops the start-up with a message naming the entry and
 * the field, and never quoting a key; a correct entry reads as written.
 */
class UpstreamsConfigTest {
    private static final String SECRET = "sk-live-0123456789abcdef";
    private static final UpstreamsConfig.Defaults DEFAULTS = new UpstreamsConfig.Defaults(Duration.ofSeconds(60), 2, 5, Duration.ofSeconds(30));

    private static List<Upstream> read(String entryFields) {
        String list = "[{\"name\":\"deepseek\",\"base_url\":\"https://api.deepseek.com/v1\"" + entryFields + "}]";
        return UpstreamsConfig.read(Env.of(Map.of("JINGNEI_UPSTREAMS", list, "DS_KEY", SECRET)), DEFAULTS, new FakeTime(),
                uri -> new byte[0], null, null);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            an unknown field           | ,"api_kyes":["sk-live-0123456789abcdef"]        | unknown field 'api_kyes'
            a blank key                | ,"api_keys":[" "]                                | api_keys must be a list of non-empty strings
            a key that is not a string | ,"api_keys":[42]                                 | api_keys must be a list of non-empty strings
            a blank model              | ,"models":[""]                                   | models must be a list of model names
            no models                  | ,"models":[]                                     | models is empty
            a key as a header          | ,"headers":{"Authorization":"Bearer sk-live-01234567"} | set keys in api_keys
            a weight of zero           | ,"weight":0                                      | weight must be a whole number from 1 to 1000
            a weight too large         | ,"weight":5000                                   | weight must be a whole number from 1 to 1000
            a negative timeout         | ,"timeout":-1                                    | timeout must be positive
            max_retries too many       | ,"max_retries":11                                | max_retries must be from 0 to 10
            """)
    void a_mistake_names_the_entry_and_field_and_never_the_key(String mistake, String fields, String message) {
        assertThatThrownBy(() -> read(fields))
                .as(mistake)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("JINGNEI_UPSTREAMS entry 1")
                .hasMessageContaining(message)
                .hasMessageNotContaining("sk-live");
    }

    @Test
    void a_base_url_without_a_scheme_is_refused() {
        assertThatThrownBy(() -> UpstreamsConfig.read(Env.of(Map.of("JINGNEI_UPSTREAMS", "[{\"name\":\"a\",\"base_url\":\"api.deepseek.com\"}]")),
                DEFAULTS, new FakeTime(), uri -> new byte[0], null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("base_url must start with https://");
    }

    @Test
    void a_correct_entry_reads_as_written_with_keys_from_other_variables() {
        Upstream upstream = read(",\"api_keys\":[\"${DS_KEY}\",\"k2\"],\"models\":[\"deepseek-v3.2\"],\"model_map\":{\"deepseek-v3.2\":\"deepseek-chat\"},"
                + "\"headers\":{\"X-Team\":\"cs\"},\"weight\":3,\"timeout\":\"90s\",\"max_retries\":0").get(0);

        assertThat(upstream.name).isEqualTo("deepseek");
        assertThat(upstream.keys).extracting(key -> key.value).containsExactly(SECRET, "k2");
        assertThat(upstream.models).containsExactly("deepseek-v3.2");
        assertThat(upstream.weight).isEqualTo(3);
        assertThat(upstream.timeout).isEqualTo(Duration.ofSeconds(90));
        assertThat(upstream.maxRetries).isZero();
    }

    @Test
    void an_entry_without_keys_or_models_is_a_self_hosted_upstream_serving_any_model() {
        Upstream upstream = read("").get(0);

        assertThat(upstream.keys).extracting(key -> key.value).containsExactly((String) null);
        assertThat(upstream.models).containsExactly(Upstream.ANY_MODEL);
        assertThat(upstream.timeout).isEqualTo(DEFAULTS.timeout);
    }
}
