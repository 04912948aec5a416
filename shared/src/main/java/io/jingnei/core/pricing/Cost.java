package io.jingnei.core.pricing;

import java.math.BigDecimal;

/** What one call cost, in USD and in CNY at the configured settlement rate. */
public final class Cost {
    public static final Cost ZERO = new Cost(BigDecimal.ZERO, BigDecimal.ZERO);

    public final BigDecimal usd;
    public final BigDecimal cny;

    public Cost(BigDecimal usd, BigDecimal cny) {
        this.usd = usd;
        this.cny = cny;
    }
}
