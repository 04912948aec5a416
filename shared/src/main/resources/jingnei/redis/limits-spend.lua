-- A user's spend and use so far, for GET /v1/usage; changes nothing.
-- KEYS[1] tpm      hash: second -> tokens charged in that second
-- KEYS[2] rpm      zset: one member per admitted request, scored by its time (ms)
-- KEYS[3] day      string: nano-CNY spent today
-- KEYS[4] month    string: nano-CNY spent this month
-- ARGV[1] now      ms since the epoch, by the instance's clock
-- Returns {day nano-CNY, month nano-CNY, requests in the last minute, tokens in the last minute}.
local tpmKey, rpmKey, dayKey, monthKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now = tonumber(ARGV[1])
local second = math.floor(now / 1000)
local tokens = 0
local fields = redis.call('HGETALL', tpmKey)
for i = 1, #fields, 2 do if tonumber(fields[i]) > second - 60 then tokens = tokens + tonumber(fields[i + 1]) end end
local requests = redis.call('ZCOUNT', rpmKey, now - 60000, '+inf')
return {tonumber(redis.call('GET', dayKey) or '0'), tonumber(redis.call('GET', monthKey) or '0'), requests, tokens}
