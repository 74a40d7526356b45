import Bottleneck from 'bottleneck';
import { applyBottleneckHeartbeatFix } from './bottleneck-heartbeat-fix.js';
import { applyBottleneckSpeedup } from './bottleneck-speedup.js';
import { TOKEN_REFILL_MS } from './limiter-settings.js';

/** The two limiters one provider key is paced by. */
export interface LimiterPair {
  /** Concurrency (maxConcurrent), request rate (minTime) and the global 429 pause (reservoir 0). */
  requests: Bottleneck;
  /** Token bucket only: no maxConcurrent, so token weights never eat concurrency slots. */
  tokens: Bottleneck;
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
  return { requests, tokens };
}

/** Disconnects both limiters (stops heartbeats; closes Redis connections in a clustered setup). */
export async function disconnectLimiters(pair: LimiterPair): Promise<void> {
  await Promise.all([pair.requests.disconnect(), pair.tokens.disconnect()]);
}
