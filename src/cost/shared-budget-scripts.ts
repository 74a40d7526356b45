import type { Redis } from 'ioredis';

/**
 * The shared budget's state in Redis and the Lua scripts that change it, each atomic, so reservations
 * from any number of processes can never together pass the budget.
 *
 * Keys (one budget; the `{…}` hash tag keeps them in one slot):
 * - `…:totals`   hash   `spent` (USD, HINCRBYFLOAT), `budget` (the cap every process checks against)
 * - `…:reserved` hash   member → USD held by that process's requests in flight
 * - `…:seen`     zset   member → last sign of life (Redis server time, ms: immune to clock skew)
 *
 * A member silent for `staleMs` is dropped with its reservations: a process that died can't hold the
 * budget hostage. Its in-flight requests were never settled, so what they cost is not counted — bounded
 * by what it had reserved.
 */

/** Redis keys of the budget named `name` for one account (`accountId` as the limiters' id). */
export function sharedBudgetKeys(accountId: string, name: string): [totals: string, reserved: string, seen: string] {
  const base = `llm-batch:budget:{${accountId}:${name}}`;
  return [`${base}:totals`, `${base}:reserved`, `${base}:seen`];
}

const NOW = `
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('time')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('zadd', KEYS[3], now, ARGV[1])
`;

const TOTAL_RESERVED = `
local reserved = 0
for _, value in ipairs(redis.call('hvals', KEYS[2])) do reserved = reserved + tonumber(value) end
`;

/**
 * ARGV: member, usd, staleMs. → {ok, spent, reserved, budget}; ok = -1 when the totals are gone (Redis
 * restarted without persistence, keys deleted): the spend so far is unknown, so nothing more may be reserved.
 */
const RESERVE = `${NOW}
for _, member in ipairs(redis.call('zrangebyscore', KEYS[3], '-inf', now - tonumber(ARGV[3]))) do
  redis.call('hdel', KEYS[2], member)
  redis.call('zrem', KEYS[3], member)
end
local budget = tonumber(redis.call('hget', KEYS[1], 'budget'))
if budget == nil then
  return {-1, '0', '0', '0'}
end
local spent = tonumber(redis.call('hget', KEYS[1], 'spent') or '0')
${TOTAL_RESERVED}
local usd = tonumber(ARGV[2])
if spent + reserved + usd > budget then
  return {0, tostring(spent), tostring(reserved), tostring(budget)}
end
redis.call('hincrbyfloat', KEYS[2], ARGV[1], ARGV[2])
return {1, tostring(spent), tostring(reserved + usd), tostring(budget)}
`;

/**
 * ARGV: member, reserved usd given back, actual usd spent. → {spent, reserved}
 * A member dropped as stale has no entry: nothing to give back (a negative entry would free budget).
 */
const SETTLE = `${NOW}
local held = tonumber(redis.call('hget', KEYS[2], ARGV[1]))
if held ~= nil then
  local left = held - tonumber(ARGV[2])
  -- Float crumbs of settled reservations are not a claim on the budget.
  if left < 1e-12 then left = 0 end
  redis.call('hset', KEYS[2], ARGV[1], string.format('%.17g', left))
end
local spent
if tonumber(ARGV[3]) > 0 then
  spent = redis.call('hincrbyfloat', KEYS[1], 'spent', ARGV[3])
else
  spent = redis.call('hget', KEYS[1], 'spent') or '0'
end
${TOTAL_RESERVED}
return {spent, tostring(reserved)}
`;

/** ARGV: member, budget. Sets the cap (the latest process's `--budget` applies to all). → {spent, reserved} */
const JOIN = `${NOW}
redis.call('hset', KEYS[1], 'budget', ARGV[2])
${TOTAL_RESERVED}
return {redis.call('hget', KEYS[1], 'spent') or '0', tostring(reserved)}
`;

/** ARGV: member. A sign of life, between reservations. */
const TOUCH = `${NOW}
return 0
`;

/** ARGV: member. */
const LEAVE = `
redis.call('hdel', KEYS[2], ARGV[1])
redis.call('zrem', KEYS[3], ARGV[1])
return 0
`;

type Script = (...args: Array<string | number>) => Promise<unknown>;

/** The scripts bound to one budget's keys, sent by SHA after the first call (ioredis `defineCommand`). */
export interface SharedBudgetScripts {
  reserve(member: string, usd: number, staleMs: number): Promise<string[]>;
  settle(member: string, reservedUsd: number, actualUsd: number): Promise<string[]>;
  join(member: string, budgetUsd: number): Promise<string[]>;
  touch(member: string): Promise<unknown>;
  leave(member: string): Promise<unknown>;
}

export function bindSharedBudgetScripts(client: Redis, keys: string[]): SharedBudgetScripts {
  const script = (name: string, lua: string): Script => {
    const command = `llmBatchBudget${name}`;
    const commands = client as unknown as Record<string, Script | undefined>;
    if (commands[command] === undefined) client.defineCommand(command, { numberOfKeys: keys.length, lua });
    return (...args) => (client as unknown as Record<string, Script>)[command](...keys, ...args);
  };
  const reserve = script('Reserve', RESERVE);
  const settle = script('Settle', SETTLE);
  const join = script('Join', JOIN);
  const touch = script('Touch', TOUCH);
  const leave = script('Leave', LEAVE);
  return {
    reserve: (member, usd, staleMs) => reserve(member, usd, staleMs) as Promise<string[]>,
    settle: (member, reservedUsd, actualUsd) => settle(member, reservedUsd, actualUsd) as Promise<string[]>,
    join: (member, budgetUsd) => join(member, budgetUsd) as Promise<string[]>,
    touch: (member) => touch(member),
    leave: (member) => leave(member),
  };
}
