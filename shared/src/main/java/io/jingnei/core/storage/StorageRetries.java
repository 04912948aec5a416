package io.jingnei.core.storage;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Object-storage requests again after a 5xx, a reset or a timeout, with exponential backoff and
 * jitter (200 ms, 400 ms, 800 ms ... each between half and all of that). Other failures (404, 403,
 * a bad URI) are final at once.
 */
final class StorageRetries {
    private static final long BASE_MILLIS = 200;
    private final int maxRetries;

    StorageRetries(int maxRetries) {
        this.maxRetries = maxRetries;
    }

    <T> CompletableFuture<T> run(URI uri, Supplier<CompletableFuture<T>> attempt) {
        CompletableFuture<T> result = new CompletableFuture<>();
        tryOnce(1, attempt, result);
        return result;
    }

    private <T> void tryOnce(int number, Supplier<CompletableFuture<T>> attempt, CompletableFuture<T> result) {
        attempt.get().whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
                return;
            }
            Throwable cause = io.jingnei.core.error.JingneiException.unwrap(error);
            boolean again = cause instanceof ObjectStoreException && ((ObjectStoreException) cause).retryable() && number <= maxRetries;
            if (!again) {
                result.completeExceptionally(cause);
                return;
            }
            long capped = BASE_MILLIS << Math.min(number - 1, 10);
            long wait = capped / 2 + (long) (ThreadLocalRandom.current().nextDouble() * (capped - capped / 2));
            CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS).execute(() -> tryOnce(number + 1, attempt, result));
        });
    }
}
