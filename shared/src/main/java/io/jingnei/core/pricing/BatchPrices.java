package io.jingnei.core.pricing;

import io.jingnei.core.config.Env;
import io.jingnei.core.config.Settings;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What a provider batch costs: a model's own batch price where one is set
 * ({@code JINGNEI_BATCH_PRICES}, written like {@code JINGNEI_PRICES}), else its real-time price
 * times {@code JINGNEI_BATCH_PRICE_RATIO} (0.5: Bailian and most domestic providers bill batch
 * work at half the real-time price).
 */
public final class BatchPrices {
    private final PriceTable realtime;
    private final PriceTable own;
    private final BigDecimal ratio;

    BatchPrices(PriceTable realtime, PriceTable own, BigDecimal ratio) {
        this.realtime = realtime;
        this.own = own;
        this.ratio = ratio;
    }

    public static BatchPrices from(Env env, PriceTable realtime) {
        BigDecimal ratio = BigDecimal.valueOf(Settings.number(env, "JINGNEI_BATCH_PRICE_RATIO", 0.5, 0, 1));
        Map<String, Price> own = env.get("JINGNEI_BATCH_PRICES")
                .map(spec -> PriceTable.withOverrides(Map.of(), spec, "JINGNEI_BATCH_PRICES"))
                .orElse(Map.of());
        return new BatchPrices(realtime, new PriceTable(own, realtime.cnyPerUsd()), ratio);
    }

    public Cost cost(String model, Usage usage) {
        if (own.priceOf(model).isPresent()) {
            return own.cost(model, usage);
        }
        Cost full = realtime.cost(model, usage);
        return new Cost(full.usd.multiply(ratio).stripTrailingZeros(), full.cny.multiply(ratio).stripTrailingZeros());
    }
}
