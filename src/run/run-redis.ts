import type { BudgetLedgerOptions } from '../cost/budget-ledger.js';
import type { BudgetPort } from '../cost/budget-port.js';
import type { RedisLink } from '../scheduler/redis-link.js';
import type { EventSink } from './events.js';
import type { RunConfig } from './run-config.js';
import type { RunControl } from './run-control.js';
import type { OutageWatch } from '../scheduler/redis-outage.js';

/*
 * The Redis modules are imported on demand: ioredis alone adds a quarter of a second to the start-up of
 * every run, and most runs do not use it.
 */

/**
 * `--redis` for a realtime run (SPEC §13): connect before anything is written or sent (an unreachable
 * Redis is a UsageError, exit 2), so the limiters and, with `--budget-key`, the budget are shared.
 * Null without `--redis`.
 */
export async function openRunRedis(config: RunConfig, emit: EventSink, control: RunControl): Promise<RedisLink | null> {
  if (config.redisUrl === undefined) return null;
  const account = { provider: config.provider, baseUrl: config.baseUrl, apiKey: config.apiKey };
  const [{ openRedisLink }, { watchRedisOutage, REDIS_OUTAGE_GRACE_MS }, { describeRedisUrl }] = await Promise.all([
    import('../scheduler/redis-link.js'),
    import('../scheduler/redis-outage.js'),
    import('../scheduler/redis-url.js'),
  ]);
  const where = describeRedisUrl(config.redisUrl);
  let watch: OutageWatch | undefined;
  // While Redis is down every reconnect attempt errors: the watch says it once, not once a second.
  const link = await openRedisLink(config.redisUrl, account, (error) => {
    if (watch?.down !== true) emit({ type: 'warning', message: `Redis: ${describe(error)}` });
  });
  const grace = formatSeconds(REDIS_OUTAGE_GRACE_MS);
  watch = watchRedisOutage(link.client, {
    onDown: () => emit({ type: 'warning', message: `Redis at ${where} went away: waiting up to ${grace} for it to come back` }),
    onBack: (downMs) => emit({ type: 'warning', message: `Redis at ${where} is back after ${formatSeconds(downMs)}` }),
    onLost: (downMs) => {
      control.stop('unavailable', describeRedisLoss(where, downMs));
      // Commands queued for the lost server would wait for ever: fail them now, so the run can end.
      void link.hangUp();
    },
  });
  watches.set(link, watch);
  const close = link.close.bind(link);
  return Object.assign(link, {
    close() {
      watch?.stop();
      return close();
    },
  });
}

/** The outage watch of each open link: while Redis is down, the watch speaks for it. */
const watches = new WeakMap<RedisLink, OutageWatch>();

/**
 * `emit` without the warnings of commands failing while Redis is down or lost (each limiter and budget
 * call would say so, a hundred times): the outage's own warnings and summary say it once.
 */
export function quietWhileRedisDown(redis: RedisLink | null, emit: EventSink): EventSink {
  if (redis === null) return emit;
  return (event) => {
    if (event.type === 'warning' && watches.get(redis)?.down === true) return;
    emit(event);
  };
}

/** The one paragraph a run stopped by a lost Redis ends with (the resume command follows it). */
export function describeRedisLoss(where: string, downMs: number): string {
  return (
    `Redis at ${where} went away mid-run and did not come back within ${formatSeconds(downMs)}. --redis shares ` +
    `rate limits between processes, so the run stopped rather than go on unshared: requests already sent were ` +
    `finished and written, and the state was saved. Start Redis again (or drop --redis), then continue with the ` +
    `resume command.`
  );
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
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
    onError: (error) => quietWhileRedisDown(redis, emit)({ type: 'warning', message: `shared budget: ${describe(error)}` }),
  });
}

function describe(error: unknown): string {
  return (error as Error | null)?.message ?? String(error);
}
