import Bottleneck from 'bottleneck';
import { applyBottleneckOverrides } from './bottleneck-overrides.js';
import type { TokenLimit } from './learned-limits.js';
import { TOKEN_REFILL_MS } from './limiter-settings.js';
import { RedisUpkeep } from './redis-upkeep.js';

/** The limiters one provider key is paced by. */
export interface LimiterSet {
  /** Concurrency (maxConcurrent), the request rate (minTime or a bucket) and the global 429 pause. */
  requests: Bottleneck;
  /**
   * A token bucket (no maxConcurrent, so token weights never eat concurrency slots), built when first
   * needed: most runs never learn an Anthropic input/output split.
   */
  tokens(kind: TokenLimit, settings: Bottleneck.ConstructorOptions): Bottleneck;
  /** The token buckets built so far. */
  readonly tokenLimiters: ReadonlyMap<TokenLimit, Bottleneck>;
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
  /**
   * Options given to every limiter: where a clustered variant puts `datastore: 'ioredis'`, its connection
   * and an `id` (suffixed `:requests`, `:tokens`, `:input-tokens`, `:output-tokens`) derived from
   * provider, base URL and key hash (SPEC §13).
   * @default {} (in-process datastore)
   */
  shared?: Bottleneck.ConstructorOptions;
  /** Receives limiter errors (bottleneck emits them instead of throwing). */
  onError: (error: unknown) => void;
}

/** Redis key suffix of each token bucket (`tokens` as before the split, so running clusters keep theirs). */
const TOKEN_SUFFIX: Record<TokenLimit, string> = { tpm: 'tokens', inputTpm: 'input-tokens', outputTpm: 'output-tokens' };

/**
 * The one place limiters are constructed: everything else only schedules on them and updates their
 * settings, so a Redis-backed variant is a change of options here.
 */
export function buildLimiters(options: BuildLimitersOptions): LimiterSet {
  applyBottleneckOverrides();
  const shared = options.shared ?? {};
  const clustered = isClustered(shared);
  const id = (suffix: string): Bottleneck.ConstructorOptions =>
    shared.id === undefined ? {} : { id: `${shared.id}:${suffix}` };
  // A clustered limiter adopts the settings already in Redis (bottleneck's `init` only creates missing
  // keys), which may be an earlier run's: this run's concurrency and fixed rates must apply, so push them.
  // Rates this process does not know yet stay as they are: another process may have learned them, and
  // resetting them to "unlimited" would let everyone burst until this one has learned them too.
  const push = (limiter: Bottleneck, settings: Bottleneck.ConstructorOptions): void => {
    if (clustered) void Promise.resolve(limiter.updateSettings(settings)).catch(options.onError);
  };
  // The refill heartbeat must tick as often as a bucket refills (it only runs while one is set).
  const build = (suffix: string, settings: Bottleneck.ConstructorOptions): Bottleneck => {
    const limiter = new Bottleneck({ heartbeatInterval: TOKEN_REFILL_MS, ...shared, ...settings, ...id(suffix) });
    limiter.on('error', options.onError);
    return limiter;
  };
  const requests = build('requests', options.requests);
  const { maxConcurrent, minTime } = options.requests;
  push(requests, minTime ? { maxConcurrent, minTime } : { maxConcurrent });

  const tokenLimiters = new Map<TokenLimit, Bottleneck>();
  const tokens = (kind: TokenLimit, settings: Bottleneck.ConstructorOptions): Bottleneck => {
    let limiter = tokenLimiters.get(kind);
    if (limiter === undefined) {
      limiter = build(TOKEN_SUFFIX[kind], settings);
      if (settings.reservoirIncreaseAmount != null) push(limiter, settings);
      tokenLimiters.set(kind, limiter);
    }
    return limiter;
  };
  if (!clustered) return { requests, tokens, tokenLimiters, clustered: false, markPaused: () => undefined };
  const upkeep = new RedisUpkeep(shared.connection, `${shared.id}:requests`, options.onError);
  return { requests, tokens, tokenLimiters, clustered: true, markPaused: (untilMs) => upkeep.markPaused(untilMs), upkeep };
}

/**
 * Disconnects every limiter: stops heartbeats and, clustered, unsubscribes them from the shared
 * connection (whose owner closes it).
 */
export async function disconnectLimiters(set: LimiterSet): Promise<void> {
  const disconnect = async (): Promise<void> => {
    await set.upkeep?.stop(set.requests);
    await Promise.all([set.requests.disconnect(), ...[...set.tokenLimiters.values()].map((limiter) => limiter.disconnect())]);
  };
  if (!set.clustered) return disconnect();
  // A Redis that went away leaves these calls unanswered, on promises that hold no handle: Node would
  // quietly exit 0 mid-run. The timer keeps the process alive and gives up on the clean goodbye.
  let timer: NodeJS.Timeout | undefined;
  const given = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CLUSTERED_DISCONNECT_TIMEOUT_MS);
  });
  await Promise.race([disconnect().catch(() => undefined), given]);
  clearTimeout(timer);
}

/** How long a clustered limiter's disconnect may wait for Redis. */
const CLUSTERED_DISCONNECT_TIMEOUT_MS = 1_000;

function isClustered(
  shared: Bottleneck.ConstructorOptions,
): shared is Bottleneck.ConstructorOptions & { connection: Bottleneck.IORedisConnection; id: string } {
  return shared.datastore === 'ioredis' && shared.connection instanceof Bottleneck.IORedisConnection && typeof shared.id === 'string';
}
