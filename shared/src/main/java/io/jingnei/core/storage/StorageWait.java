package io.jingnei.core.storage;

import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting for a storage call from a worker thread (index builds, faq-batch runs): its own failure,
 * kind and cause, is what the caller sees, and a store that never answers is a timeout, not a hang.
 */
public final class StorageWait {
    private StorageWait() {
    }

    public static <T> T join(CompletableFuture<T> future, Duration limit) {
        try {
            return future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw JingneiException.from(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JingneiException.from(e);
        } catch (TimeoutException e) {
            throw new JingneiException(ErrorKind.TIMEOUT, "object storage did not answer within " + limit.toMinutes() + " minutes", e);
        }
    }
}
