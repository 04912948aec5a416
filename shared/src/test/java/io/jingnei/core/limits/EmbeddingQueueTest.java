package io.jingnei.core.limits;

import io.jingnei.core.error.ErrorKind;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Batches of local embedding work run one at a time; a full queue is a 429 with when to come back, not more threads. */
class EmbeddingQueueTest {

    @Test
    void batches_beyond_the_queue_are_refused_with_a_retry_and_the_queued_ones_all_run() throws Exception {
        EmbeddingQueue queue = new EmbeddingQueue(1, 2);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> running = queue.run(() -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 1;
        });
        CompletableFuture<Integer> second = queue.run(() -> 2);
        CompletableFuture<Integer> third = queue.run(() -> 3);

        CompletableFuture<Integer> fourth = queue.run(() -> 4);

        LimitExceeded refused = QuotasTest.refusal(fourth::join);
        assertThat(refused.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(refused.retryAfter().orElseThrow().toSeconds()).isPositive();
        assertThat(refused.getMessage()).contains("JINGNEI_EMBEDDING_QUEUE");
        release.countDown();
        assertThat(running.get(10, TimeUnit.SECONDS) + second.get(10, TimeUnit.SECONDS) + third.get(10, TimeUnit.SECONDS)).isEqualTo(6);
    }
}
