package io.jingnei.core.pricing;

import io.jingnei.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PriceTableTest {
    private final PriceTable table = new PriceTable(PriceTable.defaults(), new BigDecimal("7.2"));

    @Test
    void prices_a_million_tokens_each_way_at_list_price() {
        Cost cost = table.cost("gpt-4.1", new Usage(1_000_000, 1_000_000, 0));
        assertThat(cost.usd).isEqualByComparingTo("10.00");
        assertThat(cost.cny).isEqualByComparingTo("72.0");
    }

    @Test
    void prices_small_calls_without_rounding_them_to_zero() {
        Cost cost = table.cost("deepseek-v3.2", new Usage(120, 80, 0));
        // 120 * 0.14 + 80 * 0.42 = 50.4 USD per million
        assertThat(cost.usd).isEqualByComparingTo("0.0000504");
    }

    @Test
    void cached_prompt_tokens_are_priced_once_at_their_own_rate() {
        PriceTable cached = new PriceTable(PriceTable.withOverrides(PriceTable.defaults(), "deepseek-v3.2=0.14/0.42/0.028", "X"), BigDecimal.ONE);
        Cost cost = cached.cost("deepseek-v3.2", new Usage(1_000_000, 0, 400_000));
        // 600k uncached * 0.14 + 400k cached * 0.028
        assertThat(cost.usd).isEqualByComparingTo("0.0952");
    }

    @Test
    void an_unpriced_model_costs_nothing_rather_than_failing() {
        assertThat(table.cost("some-new-model", new Usage(10, 10, 0)).usd).isEqualByComparingTo("0");
    }

    @Test
    void overrides_add_and_replace_models() {
        PriceTable custom = new PriceTable(PriceTable.withOverrides(PriceTable.defaults(), " qwen-max=1.6/6.4 , gpt-4.1=1/4", "JINGNEI_PRICES"), BigDecimal.ONE);
        assertThat(custom.priceOf("qwen-max")).isPresent();
        assertThat(custom.priceOf("gpt-4.1").get().outputPerMillion).isEqualByComparingTo("4");
        assertThat(custom.priceOf("deepseek-v3.2")).isPresent();
    }

    @Test
    void a_malformed_override_names_the_variable() {
        assertThatThrownBy(() -> PriceTable.withOverrides(PriceTable.defaults(), "qwen-max=cheap", "JINGNEI_PRICES"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("JINGNEI_PRICES");
    }
}
