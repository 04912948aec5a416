package io.jingnei.core.limits;

import java.util.concurrent.CompletableFuture;

/**
 * Where usage is counted: Redis (shared by every instance, exact across them) or this instance's
 * memory. Each admission is one atomic step: budgets (spent, then spent plus what calls in flight
 * hold), tokens per minute (used plus held), then requests per minute; an allowed call's
 * reservation is kept as a hold until it is charged or released, or expires.
 *
 * <p>The rule, the same in both stores: a call is refused when the spend has reached a budget,
 * or when other calls hold part of it and its own reservation does not fit in what is left. A call
 * alone is admitted while the budget is not spent, so concurrency never spends past a budget by
 * more than one call's reservation.
 */
public interface LimitStore {

    /** Day and month are calendar periods in Asia/Shanghai, named by the caller (20261127, 202611). */
    CompletableFuture<Admission> admit(LimitRules.Limits limits, long nowMillis, Reservation hold, String day, String month);

    /** What a finished call used, settling its hold (null when it had none). */
    CompletableFuture<Void> charge(String user, long nowMillis, long tokens, long nanoCny, String day, String month, String holdId);

    /** A call that ended without a charge gives back its hold. */
    CompletableFuture<Void> release(String user, String holdId);

    CompletableFuture<Spend> spend(String user, long nowMillis, String day, String month);

    /** Where counts are kept, for the start-up log. */
    String describe();
}
