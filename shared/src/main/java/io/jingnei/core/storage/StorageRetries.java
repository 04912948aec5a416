package io.jingnei.core.storage;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Object-storage requests again after a 5xx, a reset or a timeout, with exponential backoff and
 * jitter (200 ms, 400 ms, 800 ms ... each between half and all of that). Other failures (404, 403,
 * a bad URI) are final at once. A failure after retries says how many attempts it took.
 */
final class StorageRetries {
    private static final long BASE_MILLIS = 200;
    private final int maxRetries;

    StorageRetries(int maxRetries) {
        this.maxRetries = maxRetries;
    }

    <T> CompletableFuture<T> run(URI uri, Supplier<CompletableFuture<T>> attempt) {
        return run(uri, retried -> attempt.get());
    }

    /**
     * The same, handing each attempt the faults retried before it (oldest first, unmodifiable), so
     * a caller can report what it survived.
     */
    <T> CompletableFuture<T> run(URI uri, Function<List<String>, CompletableFuture<T>> attempt) {
        CompletableFuture<T> result = new CompletableFuture<>();
        tryOnce(1, attempt, List.of(), result);
        return result;
    }

    private <T> void tryOnce(int number, Function<List<String>, CompletableFuture<T>> attempt, List<String> retried,
                             CompletableFuture<T> result) {
        attempt.apply(retried).whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
                return;
            }
            Throwable cause = io.jingnei.core.error.JingneiException.unwrap(error);
            boolean again = cause instanceof ObjectStoreException && ((ObjectStoreException) cause).retryable() && number <= maxRetries;
            if (!again) {
                result.completeExceptionally(number > 1 && cause instanceof ObjectStoreException
                        ? ((ObjectStoreException) cause).gaveUpAfter(number) : cause);
                return;
            }
            List<String> seen = new ArrayList<>(retried);
            seen.add(((ObjectStoreException) cause).detail());
            long capped = BASE_MILLIS << Math.min(number - 1, 10);
            long wait = capped / 2 + (long) (ThreadLocalRandom.current().nextDouble() * (capped - capped / 2));
            CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS)
                    .execute(() -> tryOnce(number + 1, attempt, Collections.unmodifiableList(seen), result));
        });
    }
}
