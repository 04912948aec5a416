package io.jingnei.core.redis;

import io.jingnei.core.config.Env;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.testing.RedisServer;
import io.jingnei.core.util.TimeSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis that accepts connections but never answers (the real redis-server, stopped with SIGSTOP):
 * after the first command waits out the timeout, the others fail at once instead of each waiting
 * its turn on the Redis threads, and once it answers again commands work after the rest.
 */
class RedisRestIT {
    @Test
    void a_hung_redis_costs_one_timeout_per_thread_not_one_per_call_and_is_used_again_once_it_answers() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        try (RedisServer server = RedisServer.start();
             Redis redis = Redis.from(Env.of(Map.of("JINGNEI_REDIS_URL", server.url(), "JINGNEI_REDIS_TIMEOUT", "300ms",
                     "JINGNEI_REDIS_THREADS", "2")), new CallLog(log::add), TimeSource.system()).orElseThrow()) {
            assertThat(redis.call(jedis -> jedis.incr("jingnei:test:n")).get(5, TimeUnit.SECONDS)).isEqualTo(1L);

            server.freeze();
            List<CompletableFuture<Long>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(redis.call(jedis -> jedis.incr("jingnei:test:n")));
            }
            int refusedAtOnce = 0;
            for (CompletableFuture<Long> call : calls) {
                assertThat(call).failsWithin(10, TimeUnit.SECONDS);
                Throwable error = call.handle((ok, e) -> e).get();
                Throwable unavailable = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                assertThat(unavailable).isInstanceOf(RedisUnavailable.class);
                if (String.valueOf(unavailable.getCause().getMessage()).startsWith("not tried")) {
                    refusedAtOnce++;
                }
            }
            assertThat(refusedAtOnce).as("at most one command per Redis thread waits out the timeout").isGreaterThanOrEqualTo(38);

            server.resume();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Long answered = null;
            while (answered == null && System.nanoTime() < until) {
                try {
                    answered = redis.call(jedis -> jedis.incr("jingnei:test:n")).get(5, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException resting) {
                    Thread.sleep(100);
                }
            }
            assertThat(answered).as("used again once it answers").isNotNull().isGreaterThan(1L);
        }
    }
}
