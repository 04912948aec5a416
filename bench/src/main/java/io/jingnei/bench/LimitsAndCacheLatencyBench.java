package io.jingnei.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.cache.AnswerCache;
import io.jingnei.core.cache.CacheSettings;
import io.jingnei.core.config.Env;
import io.jingnei.core.call.CallEstimate;
import io.jingnei.core.limits.Quotas;
import io.jingnei.core.pricing.PriceTable;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.pii.PiiPolicy;
import io.jingnei.core.redis.Redis;
import io.jingnei.core.testing.RedisServer;
import io.jingnei.core.util.TimeSource;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * What a limit check and a cache lookup add to a call, in this instance's memory and in a real
 * redis-server on loopback (one round trip; a managed Redis in the same zone adds its network
 * time). Sequential calls after a warm-up, the set-ups interleaved round by round.
 */
final class LimitsAndCacheLatencyBench {
    private static final int DIMENSION = 512;
    private static final Caller CALLER = Caller.user(Caller.Via.CLIENT_KEY, "shop");
    private final int callsPerRound;
    private final int rounds;

    LimitsAndCacheLatencyBench(int callsPerRound, int rounds) {
        this.callsPerRound = callsPerRound;
        this.rounds = rounds;
    }

    void run(Report report) throws Exception {
        report.heading("Limit checks and cache lookups", callsPerRound + " sequential operations per round, " + rounds
                + " rounds interleaved after a warm-up round; p50/p99 over all rounds. Limit check = `Quotas.admit` with rpm, tpm and a "
                + "daily budget set, 100 users in turn. Exact lookup = key (mask, normalise, hash) and read, half hits. Semantic lookup = "
                + "nearest of N stored 512-d question vectors (Redis: read what other instances added, then scan the copy in memory). "
                + "Redis = `redis-server` from Debian on loopback.");
        List<Op> ops = new ArrayList<>();
        try (RedisServer server = RedisServer.start()) {
            Optional<Redis> redis = Redis.from(Env.of(Map.of("JINGNEI_REDIS_URL", server.url())), new CallLog(line -> { }), TimeSource.system());
            for (Optional<Redis> where : List.of(Optional.<Redis>empty(), redis)) {
                String place = where.isPresent() ? "Redis (loopback)" : "in-process";
                ops.add(limitCheck(place, where));
                ops.add(exactLookup(place, where));
                ops.add(semanticLookup(place, where, 1_000));
                ops.add(semanticLookup(place, where, 10_000));
            }
            for (Op op : ops) {
                op.round(callsPerRound, false);
            }
            for (int r = 0; r < rounds; r++) {
                for (Op op : ops) {
                    op.round(callsPerRound, true);
                }
            }
            redis.ifPresent(Redis::close);
        }
        List<List<String>> rows = new ArrayList<>();
        for (Op op : ops) {
            rows.add(List.of(op.name, op.place, String.format("%.3f", Stats.median(op.millis)), String.format("%.3f", Stats.p99(op.millis))));
        }
        report.table(List.of("operation", "where", "p50 ms", "p99 ms"), rows);
    }

    private static Op limitCheck(String place, Optional<Redis> redis) {
        Map<String, String> env = new HashMap<>();
        env.put("JINGNEI_LIMITS", "*:rpm=100000000,tpm=2000000000,cny_day=100000");
        Quotas quotas = Quotas.from(Env.of(env), redis, TimeSource.system(), new CallLog(line -> { }),
                new Quotas.Pricing(new PriceTable(PriceTable.defaults(), BigDecimal.ONE), "deepseek-v3.2", model -> 32_768));
        List<CallContext> callers = new ArrayList<>();
        for (int u = 0; u < 100; u++) {
            callers.add(new CallContext("bench", "chat", Caller.user(Caller.Via.CLIENT_KEY, "user-" + u + "-" + place.hashCode())));
        }
        CallEstimate call = CallEstimate.of(null, 44, 256); // 300 tokens against tpm, as before reservations
        // A call gives its reservation back when it ends: not part of the check's latency, so not timed.
        return new Op("limit check (admit)", place, i -> quotas.admit(callers.get(i % callers.size()), call).join(),
                i -> quotas.release(callers.get(i % callers.size())).join());
    }

    private static Op exactLookup(String place, Optional<Redis> redis) {
        AnswerCache cache = cache(redis, "exact");
        for (int i = 0; i < 1000; i++) {
            cache.store(cache.key("第" + i + "个问题：退款多久能到账？" + place, "scope", CALLER).orElseThrow(),
                    JsonNodeFactory.instance.objectNode().put("answer", "1-3个工作日。"), null, "answer");
        }
        return new Op("cache lookup, exact", place, i -> cache.exact(cache.key("第" + (i % 2000) + "个问题：退款多久能到账？" + place, "scope", CALLER).orElseThrow()).join());
    }

    private static Op semanticLookup(String place, Optional<Redis> redis, int entries) {
        AnswerCache cache = cache(redis, "semantic");
        Random random = new Random(entries);
        String scope = "scope-" + entries + "-" + System.nanoTime();
        for (int i = 0; i < entries; i++) {
            cache.store(cache.key("问题" + i, scope, CALLER).orElseThrow(), JsonNodeFactory.instance.objectNode().put("answer", "回答"), unit(random), "answer");
        }
        List<float[]> queries = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            queries.add(unit(random));
        }
        AnswerCache.Key key = cache.key("新问题", scope, CALLER).orElseThrow();
        return new Op("cache lookup, semantic, " + entries + " entries", place,
                i -> cache.similar(key, queries.get(i % queries.size())).join());
    }

    private static AnswerCache cache(Optional<Redis> redis, String mode) {
        return AnswerCache.from(CacheSettings.from(Env.of(Map.of("JINGNEI_CACHE", mode))), redis, PiiPolicy.from(Env.of(Map.of())),
                TimeSource.system(), new CallLog(line -> { }));
    }

    private static float[] unit(Random random) {
        float[] v = new float[DIMENSION];
        double norm = 0;
        for (int i = 0; i < DIMENSION; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < DIMENSION; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    private static final class Op {
        final String name;
        final String place;
        final IntConsumer call;
        /** What follows each timed call and is not part of its latency. */
        final IntConsumer after;
        final List<Double> millis = new ArrayList<>();
        int next;

        Op(String name, String place, IntConsumer call) {
            this(name, place, call, i -> { });
        }

        Op(String name, String place, IntConsumer call, IntConsumer after) {
            this.name = name;
            this.place = place;
            this.call = call;
            this.after = after;
        }

        void round(int calls, boolean record) {
            for (int i = 0; i < calls; i++) {
                long start = System.nanoTime();
                call.accept(next);
                if (record) {
                    millis.add((System.nanoTime() - start) / 1e6);
                }
                after.accept(next++);
            }
        }
    }
}
