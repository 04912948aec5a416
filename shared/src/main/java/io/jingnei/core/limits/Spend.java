package io.jingnei.core.limits;

/** What a user has used so far: spend today and this month (nano-CNY), requests and tokens in the last minute. */
public final class Spend {
    public final long dayNanoCny;
    public final long monthNanoCny;
    public final long requestsLastMinute;
    public final long tokensLastMinute;

    public Spend(long dayNanoCny, long monthNanoCny, long requestsLastMinute, long tokensLastMinute) {
        this.dayNanoCny = dayNanoCny;
        this.monthNanoCny = monthNanoCny;
        this.requestsLastMinute = requestsLastMinute;
        this.tokensLastMinute = tokensLastMinute;
    }
}
