package io.jingnei.core.limits;

import io.jingnei.core.config.Env;
import io.jingnei.core.config.Settings;
import io.jingnei.core.error.ErrorKind;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bounds the local model's work for {@code /v1/embeddings}: batches run on their own few threads
 * ({@code JINGNEI_EMBEDDING_CONCURRENCY}, default 1), in order, with at most
 * {@code JINGNEI_EMBEDDING_QUEUE} waiting (default 8); beyond that a call is a 429 with when to
 * come back. Questions of chat and RAG do not queue here, so a batch never waits in front of them:
 * a maximal batch costs seconds of CPU, a question's embedding milliseconds (security review: four
 * batches took /rag-query from 0.3 s to 23 s). Threads start with the first batch and time out.
 */
public final class EmbeddingQueue {
    private static final long RETRY_SECONDS = 5;
    private final ThreadPoolExecutor runner;
    private final int waiting;

    public EmbeddingQueue(int concurrency, int waiting) {
        this.waiting = waiting;
        this.runner = new ThreadPoolExecutor(concurrency, concurrency, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(waiting), r -> {
            Thread t = new Thread(r, "jingnei-embeddings");
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        });
        runner.allowCoreThreadTimeOut(true);
    }

    public static EmbeddingQueue from(Env env) {
        return new EmbeddingQueue(Settings.integer(env, "JINGNEI_EMBEDDING_CONCURRENCY", 1, 1, 64),
                Settings.integer(env, "JINGNEI_EMBEDDING_QUEUE", 8, 1, 10_000));
    }

    /** Runs the work in turn; fails with a 429 ({@link LimitExceeded}) when the queue is full. */
    public <T> CompletableFuture<T> run(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, runner);
        } catch (RejectedExecutionException full) {
            return CompletableFuture.failedFuture(new LimitExceeded(ErrorKind.RATE_LIMITED, "the instance's local embedding queue is full ("
                    + waiting + " batches waiting, JINGNEI_EMBEDDING_QUEUE); retry in " + RETRY_SECONDS + " s", RETRY_SECONDS));
        }
    }
}
