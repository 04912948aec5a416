-- Admits one call against a user's limits, atomically; the rule is LocalLimitStore's, step for step.
-- KEYS[1] rpm      zset: one member per admitted request, scored by its time (ms)
-- KEYS[2] tpm      hash: second -> tokens charged in that second
-- KEYS[3] day      string: nano-CNY spent today
-- KEYS[4] month    string: nano-CNY spent this month
-- KEYS[5] held     hash: hold id -> "tokens:nanoCny:expiresAtMillis" (calls admitted, not yet charged)
-- ARGV[1] now            ms since the epoch, by the instance's clock
-- ARGV[2] rpmLimit       -1 when unset (as every limit)
-- ARGV[3] tpmLimit
-- ARGV[4] tokens         this call's estimate, held until it is charged
-- ARGV[5] dayLimit       nano-CNY
-- ARGV[6] monthLimit     nano-CNY
-- ARGV[7] member         this request's member in the rpm zset
-- ARGV[8] holdId
-- ARGV[9] holdNano       nano-CNY this call may cost, held until it is charged
-- ARGV[10] holdExpiry    ms since the epoch; an older hold no longer counts
-- ARGV[11] holdLifetime  ms: the held hash's own expiry, relative (Redis's clock need not agree with ours)
-- ARGV[12] heldRetry     ms a caller refused only because of others' holds should wait
-- Returns {outcome, retry after ms}: ALLOWED, BUDGET_DAY, BUDGET_MONTH, HELD_DAY, HELD_MONTH, TPM or RPM.
local rpmKey, tpmKey, dayKey, monthKey, heldKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local now, rpmLimit, tpmLimit, tokens = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local dayLimit, monthLimit, member = tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7]
local holdId, holdNano, holdExpiry = ARGV[8], tonumber(ARGV[9]), ARGV[10]
local holdLifetime, heldRetry = ARGV[11], tonumber(ARGV[12])
local heldTokens, heldNano = 0, 0
local holds = redis.call('HGETALL', heldKey)
for i = 1, #holds, 2 do
  local t, n, e = string.match(holds[i + 1], '^(%d+):(%d+):(%d+)$')
  if t == nil or tonumber(e) <= now then
    redis.call('HDEL', heldKey, holds[i])
  else
    heldTokens = heldTokens + tonumber(t)
    heldNano = heldNano + tonumber(n)
  end
end
local spentDay = tonumber(redis.call('GET', dayKey) or '0')
local spentMonth = tonumber(redis.call('GET', monthKey) or '0')
if dayLimit >= 0 and spentDay >= dayLimit then return {'BUDGET_DAY', 0} end
if monthLimit >= 0 and spentMonth >= monthLimit then return {'BUDGET_MONTH', 0} end
if dayLimit >= 0 and heldNano > 0 and spentDay + heldNano + holdNano > dayLimit then return {'HELD_DAY', heldRetry} end
if monthLimit >= 0 and heldNano > 0 and spentMonth + heldNano + holdNano > monthLimit then return {'HELD_MONTH', heldRetry} end
if tpmLimit >= 0 then
  local second = math.floor(now / 1000)
  local used = 0
  local oldest = second
  local fields = redis.call('HGETALL', tpmKey)
  for i = 1, #fields, 2 do
    local s = tonumber(fields[i])
    if s > second - 60 then
      used = used + tonumber(fields[i + 1])
      if s < oldest then oldest = s end
    else
      redis.call('HDEL', tpmKey, fields[i])
    end
  end
  if used + heldTokens > 0 and used + heldTokens + tokens > tpmLimit then
    if used > 0 and used + tokens > tpmLimit then return {'TPM', (oldest + 60 - second) * 1000} end
    return {'TPM', heldRetry}
  end
end
if rpmLimit >= 0 then
  redis.call('ZREMRANGEBYSCORE', rpmKey, '-inf', now - 60000)
  if redis.call('ZCARD', rpmKey) >= rpmLimit then
    local first = redis.call('ZRANGE', rpmKey, 0, 0, 'WITHSCORES')
    return {'RPM', tonumber(first[2]) + 60000 - now}
  end
  redis.call('ZADD', rpmKey, now, member)
  redis.call('PEXPIRE', rpmKey, 61000)
end
if tokens > 0 or holdNano > 0 then
  redis.call('HSET', heldKey, holdId, ARGV[4] .. ':' .. ARGV[9] .. ':' .. holdExpiry)
  redis.call('PEXPIRE', heldKey, holdLifetime)
end
return {'ALLOWED', 0}
