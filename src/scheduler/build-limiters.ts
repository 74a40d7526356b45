import Bottleneck from 'bottleneck';
import { applyBottleneckHeartbeatFix } from './bottleneck-heartbeat-fix.js';
import { applyBottleneckRedisFix } from './bottleneck-redis-fix.js';
import { applyBottleneckSpeedup } from './bottleneck-speedup.js';
import { TOKEN_REFILL_MS } from './limiter-settings.js';
import { RedisUpkeep } from './redis-upkeep.js';

/** The two limiters one provider key is paced by. */
export interface LimiterPair {
  /** Concurrency (maxConcurrent), request rate (minTime) and the global 429 pause (reservoir 0). */
  requests: Bottleneck;
  /** Token bucket only: no maxConcurrent, so token weights never eat concurrency slots. */
  tokens: Bottleneck;
  /** The limits live in Redis, shared with other processes (`datastore: 'ioredis'`, SPEC §13). */
  clustered: boolean;
  /** Call before a 429 pause sets the request reservoir to 0: lets a pause orphaned by a dead process end. */
  markPaused(untilMs: number): void;
  /** Clustered only: the sweep that reclaims what dead processes left in Redis. */
  upkeep?: RedisUpkeep;
}

/** Options for {@link buildLimiters}. */
export interface BuildLimitersOptions {
  /** Settings of the request limiter (see `requestLimiterSettings`). */
  requests: Bottleneck.ConstructorOptions;
  /** Settings of the token limiter (see `tokenBucketSettings`), including its starting reservoir. */
  tokens: Bottleneck.ConstructorOptions;
  /**
   * Options given to both limiters: where a clustered variant puts `datastore: 'ioredis'`, its connection
   * and an `id` (suffixed `:requests` / `:tokens`) derived from provider, base URL and key hash (SPEC §13).
   * @default {} (in-process datastore)
   */
  shared?: Bottleneck.ConstructorOptions;
  /** Receives limiter errors (bottleneck emits them instead of throwing). */
  onError: (error: unknown) => void;
}

/**
 * The one place limiters are constructed: everything else only schedules on them and updates their
 * settings, so a Redis-backed variant is a change of options here.
 */
export function buildLimiters(options: BuildLimitersOptions): LimiterPair {
  applyBottleneckSpeedup();
  applyBottleneckHeartbeatFix();
  applyBottleneckRedisFix();
  const shared = options.shared ?? {};
  const id = (suffix: string): Bottleneck.ConstructorOptions =>
    shared.id === undefined ? {} : { id: `${shared.id}:${suffix}` };
  const requests = new Bottleneck({ ...shared, ...options.requests, ...id('requests') });
  const tokens = new Bottleneck({
    // The refill heartbeat must tick as often as the bucket refills.
    heartbeatInterval: TOKEN_REFILL_MS,
    ...shared,
    ...options.tokens,
    ...id('tokens'),
  });
  requests.on('error', options.onError);
  tokens.on('error', options.onError);
  if (!isClustered(shared)) return { requests, tokens, clustered: false, markPaused: () => undefined };

  // A clustered limiter adopts the settings already in Redis (bottleneck's `init` only creates missing
  // keys), which may be an earlier run's: this run's concurrency and fixed rates must apply, so push them.
  // Rates this process does not know yet stay as they are: another process may have learned them, and
  // resetting them to "unlimited" would let everyone burst until this one has learned them too.
  const push = (limiter: Bottleneck, settings: Bottleneck.ConstructorOptions): void => {
    void Promise.resolve(limiter.updateSettings(settings)).catch(options.onError);
  };
  const { maxConcurrent, minTime } = options.requests;
  push(requests, minTime ? { maxConcurrent, minTime } : { maxConcurrent });
  if (options.tokens.reservoirIncreaseAmount != null) push(tokens, options.tokens);
  const upkeep = new RedisUpkeep(shared.connection, `${shared.id}:requests`, options.onError);
  return { requests, tokens, clustered: true, markPaused: (untilMs) => upkeep.markPaused(untilMs), upkeep };
}

/**
 * Disconnects both limiters: stops heartbeats and, clustered, unsubscribes them from the shared
 * connection (whose owner closes it).
 */
export async function disconnectLimiters(pair: LimiterPair): Promise<void> {
  await pair.upkeep?.stop(pair.requests);
  await Promise.all([pair.requests.disconnect(), pair.tokens.disconnect()]);
}

function isClustered(
  shared: Bottleneck.ConstructorOptions,
): shared is Bottleneck.ConstructorOptions & { connection: Bottleneck.IORedisConnection; id: string } {
  return shared.datastore === 'ioredis' && shared.connection instanceof Bottleneck.IORedisConnection && typeof shared.id === 'string';
}
