package io.jingnei.core.rag;

import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a caller may ask of retrieval: asked top_k and threshold in, served ones (or a 400) out. */
class RagConfigBoundsTest {
    private static final RagConfig CONFIG = RagConfig.from(Env.of(Map.of("JINGNEI_RAG_THRESHOLD", "0.5")));

    @ParameterizedTest(name = "admin={0} top_k={1} threshold={2} -> top_k={3} threshold={4}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            // admin | asked top_k | asked threshold | served top_k | served threshold (null: the shipped rule)
            "false   | null        | null            | default      | null",
            "false   | 5           | 0.7             | 5            | 0.7",
            "false   | 10          | 0.5             | 10           | 0.5",
            "false   | 3           | -1              | 3            | null",
            "false   | 3           | 0               | 3            | null",
            "false   | 3           | 0.49            | 3            | null",
            "false   | 11          | 0.7             | refused      | ",
            "false   | 50          | -1              | refused      | ",
            "true    | 50          | -1              | 50           | -1",
            "true    | 3           | 0               | 3            | 0",
    })
    void callers_other_than_admins_get_at_most_max_top_k_and_never_below_the_floor(boolean admin, Integer topK, Double threshold,
                                                                                  String servedTopK, Double servedThreshold) {
        RagRequest asked = new RagRequest("的", topK, threshold, null, null, null, null);
        if (servedTopK.equals("refused")) {
            assertThatThrownBy(() -> CONFIG.bounded(asked, admin)).isInstanceOf(JingneiException.class)
                    .hasMessageContaining("JINGNEI_MAX_TOP_K")
                    .satisfies(e -> assertThat(((JingneiException) e).kind()).isEqualTo(ErrorKind.INVALID_REQUEST));
            return;
        }
        RagRequest served = CONFIG.bounded(asked, admin);

        assertThat(served.topK).isEqualTo(servedTopK.equals("default") ? null : Integer.valueOf(servedTopK));
        assertThat(served.threshold).isEqualTo(servedThreshold);
        assertThat(served.query).isEqualTo("的");
    }

    @Test
    void the_cap_is_a_setting_and_the_default_top_k_fits_under_it() {
        assertThat(CONFIG.maxTopK).isEqualTo(10);
        assertThat(RagConfig.from(Env.of(Map.of("JINGNEI_MAX_TOP_K", "2"))).topK).isEqualTo(2);
        assertThatThrownBy(() -> RagConfig.from(Env.of(Map.of("JINGNEI_MAX_TOP_K", "5", "JINGNEI_RAG_TOP_K", "8"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("JINGNEI_RAG_TOP_K");
    }
}
