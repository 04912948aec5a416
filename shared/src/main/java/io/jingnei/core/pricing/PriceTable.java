package io.jingnei.core.pricing;

import io.jingnei.core.config.ConfigException;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Per-model prices and the USD to CNY settlement rate. Immutable. */
public final class PriceTable {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private static final int SCALE = 8;

    private final Map<String, Price> prices;
    private final BigDecimal cnyPerUsd;

    public PriceTable(Map<String, Price> prices, BigDecimal cnyPerUsd) {
        this.prices = Collections.unmodifiableMap(new LinkedHashMap<>(prices));
        this.cnyPerUsd = cnyPerUsd;
    }

    /** List prices at the time of writing, USD per million tokens in/out. */
    public static Map<String, Price> defaults() {
        Map<String, Price> table = new LinkedHashMap<>();
        table.put("deepseek-v3.2", Price.of("0.14", "0.42"));
        table.put("gemini-2.5-flash", Price.of("0.30", "2.50"));
        table.put("gpt-4.1", Price.of("2.00", "8.00"));
        table.put("claude-sonnet-4.5", Price.of("3.00", "15.00"));
        return table;
    }

    /**
     * Applies overrides written as {@code model=in/out[/cached],model2=in/out}, e.g.
     * {@code deepseek-v3.2=0.14/0.42/0.028}.
     */
    public static Map<String, Price> withOverrides(Map<String, Price> base, String spec, String variable) {
        Map<String, Price> table = new LinkedHashMap<>(base);
        for (String entry : spec.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] nameAndPrice = entry.split("=", 2);
            String[] parts = nameAndPrice.length == 2 ? nameAndPrice[1].trim().split("/") : new String[0];
            if (nameAndPrice[0].isBlank() || parts.length < 2 || parts.length > 3) {
                throw new ConfigException(variable + " entries look like model=in/out or model=in/out/cached (USD per million tokens), got '" + entry.trim() + "'");
            }
            try {
                BigDecimal in = new BigDecimal(parts[0].trim());
                BigDecimal out = new BigDecimal(parts[1].trim());
                BigDecimal cached = parts.length == 3 ? new BigDecimal(parts[2].trim()) : in;
                table.put(nameAndPrice[0].trim(), new Price(in, out, cached));
            } catch (NumberFormatException e) {
                throw new ConfigException(variable + ": prices must be numbers, got '" + entry.trim() + "'");
            }
        }
        return table;
    }

    public Optional<Price> priceOf(String model) {
        return Optional.ofNullable(prices.get(model));
    }

    public Map<String, Price> prices() {
        return prices;
    }

    public BigDecimal cnyPerUsd() {
        return cnyPerUsd;
    }

    /** Cost of a call; an unpriced model costs nothing here and is flagged by the caller. */
    public Cost cost(String model, Usage usage) {
        Price price = prices.get(model);
        if (price == null || usage == null) {
            return Cost.ZERO;
        }
        long uncachedPrompt = usage.promptTokens - usage.cachedPromptTokens;
        BigDecimal tokenUsd = price.inputPerMillion.multiply(BigDecimal.valueOf(uncachedPrompt))
                .add(price.cachedInputPerMillion.multiply(BigDecimal.valueOf(usage.cachedPromptTokens)))
                .add(price.outputPerMillion.multiply(BigDecimal.valueOf(usage.completionTokens)));
        BigDecimal usd = tokenUsd.divide(MILLION, MathContext.DECIMAL64).setScale(SCALE, RoundingMode.HALF_UP).stripTrailingZeros();
        BigDecimal cny = usd.multiply(cnyPerUsd).setScale(SCALE, RoundingMode.HALF_UP).stripTrailingZeros();
        return new Cost(usd, cny);
    }
}
