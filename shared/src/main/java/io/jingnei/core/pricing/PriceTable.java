package io.jingnei.core.pricing;

import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;
import io.jingnei.core.config.Settings;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Per-model prices and the USD to CNY settlement rate, and the price of any other model
 * ({@code JINGNEI_DEFAULT_PRICE}) when the operator sets one. Immutable.
 */
public final class PriceTable {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private static final int SCALE = 8;

    private final Map<String, Price> prices;
    private final BigDecimal cnyPerUsd;
    private final Optional<Price> otherModels;
    /** Per model, nano-CNY per prompt token and per answer token: reservations are computed on every admission. */
    private final Map<String, double[]> nanoCnyRates = new java.util.concurrent.ConcurrentHashMap<>();

    public PriceTable(Map<String, Price> prices, BigDecimal cnyPerUsd) {
        this(prices, cnyPerUsd, Optional.empty());
    }

    public PriceTable(Map<String, Price> prices, BigDecimal cnyPerUsd, Optional<Price> otherModels) {
        this.prices = Collections.unmodifiableMap(new LinkedHashMap<>(prices));
        this.cnyPerUsd = cnyPerUsd;
        this.otherModels = otherModels;
    }

    /**
     * The configured table: {@code JINGNEI_PRICES} over the defaults, settled at
     * {@code JINGNEI_CNY_PER_USD}, with the price of other models when one is set.
     */
    public static PriceTable from(Env env) {
        BigDecimal cnyPerUsd = Settings.positiveDecimal(env, "JINGNEI_CNY_PER_USD", "1.0");
        return new PriceTable(env.get("JINGNEI_PRICES")
                .map(spec -> withOverrides(defaults(), spec, "JINGNEI_PRICES"))
                .orElseGet(PriceTable::defaults), cnyPerUsd,
                env.get(DEFAULT_PRICE_SETTING).map(text -> parsePrice(text, DEFAULT_PRICE_SETTING)));
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
            table.put(nameAndPrice[0].trim(), price(parts, variable, entry.trim()));
        }
        return table;
    }

    /** One price written {@code in/out[/cached]} (USD per million tokens), as {@code JINGNEI_DEFAULT_PRICE} is. */
    public static Price parsePrice(String text, String variable) {
        String[] parts = text.trim().split("/");
        if (parts.length < 2 || parts.length > 3) {
            throw new ConfigException(variable + " looks like in/out or in/out/cached (USD per million tokens), got '" + text.trim() + "'");
        }
        return price(parts, variable, text.trim());
    }

    private static Price price(String[] parts, String variable, String entry) {
        try {
            BigDecimal in = new BigDecimal(parts[0].trim());
            BigDecimal out = new BigDecimal(parts[1].trim());
            BigDecimal cached = parts.length == 3 ? new BigDecimal(parts[2].trim()) : in;
            if (in.signum() < 0 || out.signum() < 0 || cached.signum() < 0) {
                throw new ConfigException(variable + ": prices must not be negative, got '" + entry + "'");
            }
            return new Price(in, out, cached);
        } catch (NumberFormatException e) {
            throw new ConfigException(variable + ": prices must be numbers, got '" + entry + "'");
        }
    }

    /** The model's own price, else the default price; empty when neither is set (the model is unpriced). */
    public Optional<Price> priceOf(String model) {
        Price own = prices.get(model);
        return own != null ? Optional.of(own) : otherModels;
    }

    /** Whether the model has a price of its own in the table (not just the default). */
    public boolean listed(String model) {
        return prices.containsKey(model);
    }

    /**
     * The most a call can cost in nano-CNY (rounded up), for reserving it before it runs: no
     * BigDecimal on the admission path. Zero for an unpriced model.
     */
    public long nanoCnyAtMost(String model, long promptTokens, long answerTokens) {
        double[] rates = nanoCnyRates.computeIfAbsent(model, m -> priceOf(m).map(p -> new double[] {
                p.inputPerMillion.multiply(cnyPerUsd).doubleValue() * 1000, p.outputPerMillion.multiply(cnyPerUsd).doubleValue() * 1000})
                .orElse(new double[] {0, 0}));
        return (long) Math.ceil(rates[0] * promptTokens + rates[1] * answerTokens);
    }

    /** The setting that prices a model without an entry, for messages that say how to fix an unpriced call. */
    public static final String DEFAULT_PRICE_SETTING = "JINGNEI_DEFAULT_PRICE";

    public Map<String, Price> prices() {
        return prices;
    }

    public BigDecimal cnyPerUsd() {
        return cnyPerUsd;
    }

    /**
     * Cost of a call at the model's price or the default price; an unpriced model costs nothing
     * here and is flagged by the caller (a caller with a budget cannot call one: see Quotas).
     */
    public Cost cost(String model, Usage usage) {
        Price price = priceOf(model).orElse(null);
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
