package io.jingnei.core.llm;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Runs attempts until one succeeds, a failure is not retryable, retries run out, or the next wait
 * would pass the call's deadline. Cancelling the returned future stops further attempts.
 */
final class Retrier {
    private final RetryPolicy policy;
    private final TimeSource time;
    private final Duration deadline;

    Retrier(RetryPolicy policy, TimeSource time, Duration deadline) {
        this.policy = policy;
        this.time = time;
        this.deadline = deadline;
    }

    /** @param attempt given the time left before the deadline, starts one attempt */
    <T> CompletableFuture<T> run(CallTrace trace, Function<Duration, CompletableFuture<T>> attempt) {
        CompletableFuture<T> result = new CompletableFuture<>();
        long deadlineNanos = time.nanoTime() + deadline.toNanos();
        tryOnce(1, deadlineNanos, trace, attempt, result);
        return result;
    }

    private <T> void tryOnce(int number, long deadlineNanos, CallTrace trace,
                             Function<Duration, CompletableFuture<T>> attempt, CompletableFuture<T> result) {
        if (result.isDone()) {
            return;
        }
        trace.attempt(number);
        Duration left = Duration.ofNanos(Math.max(1, deadlineNanos - time.nanoTime()));
        CompletableFuture<T> current;
        try {
            current = attempt.apply(left);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        result.whenComplete((v, e) -> current.cancel(true));
        current.whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
                return;
            }
            LlmException failure = LlmException.from(error);
            if (!failure.retryable() || number > policy.maxRetries) {
                result.completeExceptionally(failure);
                return;
            }
            Duration wait = policy.delayBefore(number, failure);
            if (wait.toNanos() >= deadlineNanos - time.nanoTime()) {
                result.completeExceptionally(failure);
                return;
            }
            time.delay(wait).thenRun(() -> tryOnce(number + 1, deadlineNanos, trace, attempt, result));
        });
    }
}
