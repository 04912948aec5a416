-- Charges one finished call: its tokens to the minute's window, its cost to the day and the month,
-- and drops its hold.
-- KEYS[1] tpm      hash: second -> tokens charged in that second (kept 120 s)
-- KEYS[2] day      string: nano-CNY spent today (kept 2 days)
-- KEYS[3] month    string: nano-CNY spent this month (kept 40 days)
-- KEYS[4] held     hash: hold id -> "tokens:nanoCny:expiresAtMillis"
-- ARGV[1] now      ms since the epoch, by the instance's clock
-- ARGV[2] tokens
-- ARGV[3] nanoCny
-- ARGV[4] holdId   empty when the call held nothing
local tpmKey, dayKey, monthKey, heldKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, tokens, nanoCny, holdId = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4]
if holdId ~= '' then redis.call('HDEL', heldKey, holdId) end
local second = math.floor(now / 1000)
if tonumber(tokens) > 0 then
  redis.call('HINCRBY', tpmKey, tostring(second), tokens)
  redis.call('EXPIRE', tpmKey, 120)
end
if tonumber(nanoCny) > 0 then
  redis.call('INCRBY', dayKey, nanoCny)
  redis.call('EXPIRE', dayKey, 172800)
  redis.call('INCRBY', monthKey, nanoCny)
  redis.call('EXPIRE', monthKey, 3456000)
end
return 1
