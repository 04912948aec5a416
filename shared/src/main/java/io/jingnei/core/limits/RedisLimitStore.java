package io.jingnei.core.limits;

import io.jingnei.core.redis.Redis;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Limits counted in Redis, exact across instances: each admission and each charge is one Lua
 * script (atomic on the server). Keys share the user's hash tag ({@code jingnei:{alice}:...}) so
 * cluster editions keep them on one slot, and every key expires on its own.
 */
final class RedisLimitStore implements LimitStore {
    /**
     * KEYS: rpm zset, tpm hash (second -> tokens), day spend, month spend, held hash (id -> "tokens:nano:expiresAt").
     * ARGV: now, rpm limit, tpm limit, hold tokens, day limit, month limit, rpm member, hold id, hold nano, hold expiry,
     * hold lifetime (the key's own expiry is relative: Redis's clock need not agree with ours).
     * Limits are -1 when unset. The rule is LocalLimitStore's, step for step.
     */
    private static final String ADMIT = String.join("\n",
            "local now, rpmLimit, tpmLimit, tokens = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])",
            "local dayLimit, monthLimit, member = tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7]",
            "local holdId, holdNano, holdExpiry = ARGV[8], tonumber(ARGV[9]), ARGV[10]",
            "local heldTokens, heldNano = 0, 0",
            "local holds = redis.call('HGETALL', KEYS[5])",
            "for i = 1, #holds, 2 do",
            "  local t, n, e = string.match(holds[i + 1], '^(%d+):(%d+):(%d+)$')",
            "  if t == nil or tonumber(e) <= now then",
            "    redis.call('HDEL', KEYS[5], holds[i])",
            "  else",
            "    heldTokens = heldTokens + tonumber(t)",
            "    heldNano = heldNano + tonumber(n)",
            "  end",
            "end",
            "local spentDay = tonumber(redis.call('GET', KEYS[3]) or '0')",
            "local spentMonth = tonumber(redis.call('GET', KEYS[4]) or '0')",
            "if dayLimit >= 0 and spentDay >= dayLimit then return {'BUDGET_DAY', 0} end",
            "if monthLimit >= 0 and spentMonth >= monthLimit then return {'BUDGET_MONTH', 0} end",
            "if dayLimit >= 0 and heldNano > 0 and spentDay + heldNano + holdNano > dayLimit then return {'HELD_DAY', " + Quotas.HELD_RETRY_MILLIS + "} end",
            "if monthLimit >= 0 and heldNano > 0 and spentMonth + heldNano + holdNano > monthLimit then return {'HELD_MONTH', " + Quotas.HELD_RETRY_MILLIS + "} end",
            "if tpmLimit >= 0 then",
            "  local second = math.floor(now / 1000)",
            "  local used = 0",
            "  local oldest = second",
            "  local fields = redis.call('HGETALL', KEYS[2])",
            "  for i = 1, #fields, 2 do",
            "    local s = tonumber(fields[i])",
            "    if s > second - 60 then",
            "      used = used + tonumber(fields[i + 1])",
            "      if s < oldest then oldest = s end",
            "    else",
            "      redis.call('HDEL', KEYS[2], fields[i])",
            "    end",
            "  end",
            "  if used + heldTokens > 0 and used + heldTokens + tokens > tpmLimit then",
            "    if used > 0 and used + tokens > tpmLimit then return {'TPM', (oldest + 60 - second) * 1000} end",
            "    return {'TPM', " + Quotas.HELD_RETRY_MILLIS + "}",
            "  end",
            "end",
            "if rpmLimit >= 0 then",
            "  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 60000)",
            "  if redis.call('ZCARD', KEYS[1]) >= rpmLimit then",
            "    local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')",
            "    return {'RPM', tonumber(first[2]) + 60000 - now}",
            "  end",
            "  redis.call('ZADD', KEYS[1], now, member)",
            "  redis.call('PEXPIRE', KEYS[1], 61000)",
            "end",
            "if tokens > 0 or holdNano > 0 then",
            "  redis.call('HSET', KEYS[5], holdId, ARGV[4] .. ':' .. ARGV[9] .. ':' .. holdExpiry)",
            "  redis.call('PEXPIRE', KEYS[5], ARGV[11])",
            "end",
            "return {'ALLOWED', 0}");
    /** KEYS: tpm hash, day spend, month spend, held hash. ARGV: now, tokens, nano-CNY, hold id (empty for none). */
    private static final String CHARGE = String.join("\n",
            "if ARGV[4] ~= '' then redis.call('HDEL', KEYS[4], ARGV[4]) end",
            "local second = math.floor(tonumber(ARGV[1]) / 1000)",
            "if tonumber(ARGV[2]) > 0 then",
            "  redis.call('HINCRBY', KEYS[1], tostring(second), ARGV[2])",
            "  redis.call('EXPIRE', KEYS[1], 120)",
            "end",
            "if tonumber(ARGV[3]) > 0 then",
            "  redis.call('INCRBY', KEYS[2], ARGV[3])",
            "  redis.call('EXPIRE', KEYS[2], 172800)",
            "  redis.call('INCRBY', KEYS[3], ARGV[3])",
            "  redis.call('EXPIRE', KEYS[3], 3456000)",
            "end",
            "return 1");
    private static final String SPEND = String.join("\n",
            "local now = tonumber(ARGV[1])",
            "local second = math.floor(now / 1000)",
            "local tokens = 0",
            "local fields = redis.call('HGETALL', KEYS[1])",
            "for i = 1, #fields, 2 do if tonumber(fields[i]) > second - 60 then tokens = tokens + tonumber(fields[i + 1]) end end",
            "local requests = redis.call('ZCOUNT', KEYS[2], now - 60000, '+inf')",
            "return {tonumber(redis.call('GET', KEYS[3]) or '0'), tonumber(redis.call('GET', KEYS[4]) or '0'), requests, tokens}");

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
                String.valueOf(hold.expiresAtMillis), String.valueOf(Quotas.HOLD_MILLIS));
        return redis.call(jedis -> jedis.eval(ADMIT, keys, args)).thenApply(result -> {
            List<?> answer = (List<?>) result;
            return new Admission(Admission.Outcome.valueOf(String.valueOf(answer.get(0))), ((Number) answer.get(1)).longValue());
        });
    }

    @Override
    public CompletableFuture<Void> charge(String user, long nowMillis, long tokens, long nanoCny, String day, String month, String holdId) {
        List<String> keys = List.of(key(user, "tpm"), key(user, "cny:" + day), key(user, "cny:" + month), key(user, "held"));
        List<String> args = List.of(String.valueOf(nowMillis), String.valueOf(tokens), String.valueOf(nanoCny), holdId == null ? "" : holdId);
        return redis.call(jedis -> jedis.eval(CHARGE, keys, args)).thenApply(x -> null);
    }

    @Override
    public CompletableFuture<Void> release(String user, String holdId) {
        return redis.call(jedis -> jedis.hdel(key(user, "held"), holdId)).thenApply(x -> null);
    }

    @Override
    public CompletableFuture<Spend> spend(String user, long nowMillis, String day, String month) {
        List<String> keys = List.of(key(user, "tpm"), key(user, "rpm"), key(user, "cny:" + day), key(user, "cny:" + month));
        return redis.call(jedis -> jedis.eval(SPEND, keys, List.of(String.valueOf(nowMillis)))).thenApply(result -> {
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
