package io.jingnei.core.limits;

import io.jingnei.core.redis.LuaScript;
import io.jingnei.core.redis.Redis;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Limits counted in Redis, exact across instances: each admission and each charge is one Lua
 * script (atomic on the server; {@code resources/jingnei/redis/limits-*.lua}), the rule of
 * LocalLimitStore step for step. Keys share the user's hash tag ({@code jingnei:{alice}:...}) so
 * cluster editions keep them on one slot, and every key expires on its own.
 */
final class RedisLimitStore implements LimitStore {
    /** The scripts name their KEYS and ARGV at the top; the lists below follow that order. */
    private static final LuaScript ADMIT = LuaScript.load("limits-admit.lua");
    private static final LuaScript CHARGE = LuaScript.load("limits-charge.lua");
    private static final LuaScript SPEND = LuaScript.load("limits-spend.lua");

    private final Redis redis;

    RedisLimitStore(Redis redis) {
        this.redis = redis;
    }

    private static String key(String user, String part) {
        return "jingnei:{" + user + "}:" + part;
    }

    @Override
    public CompletableFuture<Admission> admit(LimitRules.Limits limits, long nowMillis, Reservation hold, String day, String month) {
        String user = hold.user;
        List<String> keys = List.of(key(user, "rpm"), key(user, "tpm"), key(user, "cny:" + day), key(user, "cny:" + month),
                key(user, "held"));
        List<String> args = List.of(String.valueOf(nowMillis), limit(limits.rpm), limit(limits.tpm), String.valueOf(hold.tokens),
                nano(limits.cnyDay), nano(limits.cnyMonth), nowMillis + ":" + hold.id, hold.id, String.valueOf(hold.nanoCny),
                String.valueOf(hold.expiresAtMillis), String.valueOf(Quotas.HOLD_MILLIS), String.valueOf(Quotas.HELD_RETRY_MILLIS));
        return redis.call(jedis -> ADMIT.run(jedis, keys, args)).thenApply(result -> {
            List<?> answer = (List<?>) result;
            return new Admission(Admission.Outcome.valueOf(String.valueOf(answer.get(0))), ((Number) answer.get(1)).longValue());
        });
    }

    @Override
    public CompletableFuture<Void> charge(String user, long nowMillis, long tokens, long nanoCny, String day, String month, String holdId) {
        List<String> keys = List.of(key(user, "tpm"), key(user, "cny:" + day), key(user, "cny:" + month), key(user, "held"));
        List<String> args = List.of(String.valueOf(nowMillis), String.valueOf(tokens), String.valueOf(nanoCny), holdId == null ? "" : holdId);
        return redis.call(jedis -> CHARGE.run(jedis, keys, args)).thenApply(x -> null);
    }

    @Override
    public CompletableFuture<Void> release(String user, String holdId) {
        return redis.call(jedis -> jedis.hdel(key(user, "held"), holdId)).thenApply(x -> null);
    }

    @Override
    public CompletableFuture<Spend> spend(String user, long nowMillis, String day, String month) {
        List<String> keys = List.of(key(user, "tpm"), key(user, "rpm"), key(user, "cny:" + day), key(user, "cny:" + month));
        return redis.call(jedis -> SPEND.run(jedis, keys, List.of(String.valueOf(nowMillis)))).thenApply(result -> {
            List<?> v = (List<?>) result;
            return new Spend(((Number) v.get(0)).longValue(), ((Number) v.get(1)).longValue(), ((Number) v.get(2)).longValue(),
                    ((Number) v.get(3)).longValue());
        });
    }

    @Override
    public String describe() {
        return "shared across instances in " + redis.display();
    }

    private static String limit(Integer value) {
        return value == null ? "-1" : String.valueOf(value);
    }

    static String nano(BigDecimal cny) {
        return cny == null ? "-1" : cny.movePointRight(9).setScale(0, java.math.RoundingMode.CEILING).toPlainString();
    }
}
