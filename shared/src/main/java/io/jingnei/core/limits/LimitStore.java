package io.jingnei.core.limits;

import java.util.concurrent.CompletableFuture;

/**
 * Where usage is counted: Redis (shared by every instance, exact across them) or this instance's
 * memory. Each admission is one atomic step: budgets, tokens per minute, then the request is
 * counted against requests per minute only if it is allowed.
 */
public interface LimitStore {

    /** Day and month are calendar periods in Asia/Shanghai, named by the caller (20261127, 202611). */
    CompletableFuture<Admission> admit(String user, LimitRules.Limits limits, long nowMillis, long estimatedTokens,
                                       String day, String month);

    /** What a finished call used. */
    CompletableFuture<Void> charge(String user, long nowMillis, long tokens, long nanoCny, String day, String month);

    CompletableFuture<Spend> spend(String user, long nowMillis, String day, String month);

    /** Where counts are kept, for the start-up log. */
    String describe();
}
