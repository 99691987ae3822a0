"""The Redis ledger's scripts. Each runs atomically on the server, on the server's clock, so no
interleaving of workers can hold or spend past the limit, and a lease expires whoever's clock is wrong.

A budget named KEY lives in four keys (one hash tag, so that a cluster keeps them on one node):
``byok:budget:{KEY}:spent`` (hash: provider -> dollars spent), ``...:held`` (hash: lease -> dollars held),
``...:leases`` (sorted set: lease -> expiry in server milliseconds), ``...:limit`` (the last limit given),
and one short-lived ``...:settled:LEASE`` per settled lease, which makes settling twice a no-op.
Amounts travel as strings written with 17 significant digits: a Lua number returned as is would be
truncated to an integer.
"""

from __future__ import annotations

# Shared by the scripts: drop expired leases, then sum what is spent and held.
_PRELUDE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local gone = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
for _, lease in ipairs(gone) do redis.call('HDEL', KEYS[2], lease) end
if #gone > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now) end
local spent, held = 0, 0
for _, v in ipairs(redis.call('HVALS', KEYS[1])) do spent = spent + tonumber(v) end
for _, v in ipairs(redis.call('HVALS', KEYS[2])) do held = held + tonumber(v) end
local function num(x) return string.format('%.17g', x) end
"""

# KEYS: spent, held, leases, limit. ARGV: limit ("" for none), fixed, per_token, wanted, minimum, lease,
# lease_ms, slack. Returns {1, tokens, held, committed} or {0, committed}.
RESERVE = (
    _PRELUDE
    + """
local fixed, per = tonumber(ARGV[2]), tonumber(ARGV[3])
local wanted, minimum = tonumber(ARGV[4]), tonumber(ARGV[5])
local committed = spent + held
local tokens = wanted
if ARGV[1] ~= '' then
  local limit = tonumber(ARGV[1])
  redis.call('SET', KEYS[4], ARGV[1])
  local left = limit - committed - limit * tonumber(ARGV[8]) - fixed
  if per > 0 and left >= 0 then tokens = math.min(wanted, math.floor(left / per)) end
  if left < 0 or tokens < minimum then return {0, num(committed)} end
end
local amount = fixed + tokens * per
redis.call('HSET', KEYS[2], ARGV[6], num(amount))
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[7]), ARGV[6])
return {1, tokens, num(amount), num(committed)}
"""
)

# KEYS: spent, held, leases, settled. ARGV: lease, provider ("" for none), charge, marker_ms.
# Returns 1, or 0 when the lease was settled before. A lease that expired is still charged.
SETTLE = """
if not redis.call('SET', KEYS[4], '1', 'NX', 'PX', ARGV[4]) then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
local charge = tonumber(ARGV[3])
if ARGV[2] ~= '' and charge > 0 then redis.call('HINCRBYFLOAT', KEYS[1], ARGV[2], ARGV[3]) end
return 1
"""

# KEYS: spent, held, leases, limit. Returns {limit or "", held, provider, spent, provider, spent, ...}.
STATUS = (
    _PRELUDE
    + """
local out = {redis.call('GET', KEYS[4]) or '', num(held)}
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  out[#out + 1] = entries[i]
  out[#out + 1] = num(tonumber(entries[i + 1]))
end
return out
"""
)


def budget_keys(key: str) -> tuple[str, str, str, str]:
    """The spent, held, leases and limit keys of the budget named ``key``."""
    base = f"byok:budget:{{{key}}}"
    return f"{base}:spent", f"{base}:held", f"{base}:leases", f"{base}:limit"


def settled_key(key: str, lease: str) -> str:
    return f"byok:budget:{{{key}}}:settled:{lease}"
