import { createHash } from 'node:crypto';
import type Bottleneck from 'bottleneck';
import type { ProviderId } from '../providers/types.js';

/**
 * How often each clustered limiter runs bottleneck's heartbeat script. The heartbeat is what notices a
 * refilled token bucket or a freed reservoir and tells every process; bottleneck's Redis default of
 * 5 s stalls a bucket that refills every 100 ms (measured: token-paced runs at a fraction of the rate).
 * 100 ms matches the token refill step and costs each process about 20 small scripts a second.
 */
export const REDIS_HEARTBEAT_MS = 100;

/** Hex digits of sha256(API key) in the limiter id: enough to tell keys apart, useless to recover one. */
const KEY_HASH_HEX_DIGITS = 16;

/** The account a set of limits belongs to (SPEC §13): one provider key at one endpoint. */
export interface LimiterAccount {
  provider: ProviderId;
  baseUrl: string;
  /** Hashed, never stored or sent; undefined (the mock provider) shares by endpoint alone. */
  apiKey?: string;
}

/**
 * The bottleneck id shared by every process running against one account:
 * `llm-batch:<provider>:<base URL>:<sha256(key), 16 hex>`. The base URL is normalised (no credentials,
 * query or trailing slash) so `…/v1` and `…/v1/` share limits.
 */
export function redisLimiterId(account: LimiterAccount): string {
  return `llm-batch:${account.provider}:${normaliseBaseUrl(account.baseUrl)}:${apiKeyHash(account.apiKey)}`;
}

/** A short, one-way fingerprint of an API key: `nokey` when there is none. */
export function apiKeyHash(apiKey: string | undefined): string {
  if (apiKey === undefined || apiKey === '') return 'nokey';
  return createHash('sha256').update(apiKey, 'utf8').digest('hex').slice(0, KEY_HASH_HEX_DIGITS);
}

/** Bottleneck's options plus the store options its typings leave out. */
export type ClusteredLimiterOptions = Bottleneck.ConstructorOptions & { heartbeatInterval: number };

/**
 * Bottleneck options that put both limiters of a scheduler in Redis, on one shared connection.
 *
 * `timeout: null` is what keeps the keys from ever expiring: bottleneck turns `timeout` into the
 * `groupTimeout` its Lua scripts `PEXPIRE` every key with, and with Redis 7 a limiter whose settings key
 * expired fails every call with `ERR SETTINGS_KEY_NOT_FOUND` (bottleneck 2.19.5 compares the message
 * without the `ERR ` prefix, upstream #205/#212/#219; `bottleneck-redis-fix.ts` repairs that too, for keys
 * deleted or evicted by someone else). `clearDatastore: false` because other processes are using the state.
 */
export function clusteredLimiterOptions(connection: Bottleneck.IORedisConnection, id: string): ClusteredLimiterOptions {
  return {
    datastore: 'ioredis',
    connection,
    id,
    timeout: null,
    clearDatastore: false,
    heartbeatInterval: REDIS_HEARTBEAT_MS,
  };
}

function normaliseBaseUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return baseUrl.replace(/\/+$/, '');
  }
}
