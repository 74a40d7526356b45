import type { BudgetLedgerOptions } from '../cost/budget-ledger.js';
import type { BudgetPort } from '../cost/budget-port.js';
import type { RedisLink } from '../scheduler/redis-link.js';
import type { EventSink } from './events.js';
import type { RunConfig } from './run-config.js';

/*
 * The Redis modules are imported on demand: ioredis alone adds a quarter of a second to the start-up of
 * every run, and most runs do not use it.
 */

/**
 * `--redis` for a realtime run (SPEC §13): connect before anything is written or sent (an unreachable
 * Redis is a UsageError, exit 2), so the limiters and, with `--budget-key`, the budget are shared.
 * Null without `--redis`.
 */
export async function openRunRedis(config: RunConfig, emit: EventSink): Promise<RedisLink | null> {
  if (config.redisUrl === undefined) return null;
  const account = { provider: config.provider, baseUrl: config.baseUrl, apiKey: config.apiKey };
  const { openRedisLink } = await import('../scheduler/redis-link.js');
  return openRedisLink(config.redisUrl, account, (error) => emit({ type: 'warning', message: `Redis: ${describe(error)}` }));
}

/**
 * The budget shared by every process giving the same `--budget-key` for this account, or null when the
 * budget stays per process (no `--budget-key`, or no `--redis`).
 */
export async function openRunSharedBudget(
  config: RunConfig,
  redis: RedisLink | null,
  ledger: BudgetLedgerOptions,
  emit: EventSink,
): Promise<BudgetPort | null> {
  if (redis === null || config.budgetKey === undefined) return null;
  const { openSharedBudget } = await import('../cost/shared-budget-ledger.js');
  return openSharedBudget({
    ...ledger,
    client: redis.client,
    accountId: redis.id,
    name: config.budgetKey,
    onError: (error) => emit({ type: 'warning', message: `shared budget: ${describe(error)}` }),
  });
}

function describe(error: unknown): string {
  return (error as Error | null)?.message ?? String(error);
}
