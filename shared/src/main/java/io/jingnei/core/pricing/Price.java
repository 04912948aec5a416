package io.jingnei.core.pricing;

import java.math.BigDecimal;

/** List price of one model in USD per million tokens. Cached prompt tokens have their own rate. */
public final class Price {
    public final BigDecimal inputPerMillion;
    public final BigDecimal outputPerMillion;
    public final BigDecimal cachedInputPerMillion;

    public Price(BigDecimal inputPerMillion, BigDecimal outputPerMillion, BigDecimal cachedInputPerMillion) {
        this.inputPerMillion = inputPerMillion;
        this.outputPerMillion = outputPerMillion;
        this.cachedInputPerMillion = cachedInputPerMillion;
    }

    /** Without a separate cache rate, cached tokens cost what other prompt tokens cost. */
    public static Price of(String input, String output) {
        return new Price(new BigDecimal(input), new BigDecimal(output), new BigDecimal(input));
    }

    @Override
    public String toString() {
        return inputPerMillion.toPlainString() + "/" + outputPerMillion.toPlainString() + "/" + cachedInputPerMillion.toPlainString();
    }
}
