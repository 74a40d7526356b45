import { Redis } from 'ioredis';
import { UsageError } from '../errors.js';
import { describeRedisUrl } from './redis-url.js';

/**
 * How long start-up waits for Redis (connect, then PING). An unreachable Redis must stop the run before
 * anything is sent, and quickly: a cron job should fail in seconds, not hang.
 */
export const REDIS_CONNECT_TIMEOUT_MS = 3_000;

/** Reconnection pace once running: quick after a blip, at most once a second while Redis stays down. */
const MAX_RECONNECT_DELAY_MS = 1_000;
const RECONNECT_STEP_MS = 100;

/** Options for {@link connectRedis}. */
export interface ConnectRedisOptions {
  /** @default REDIS_CONNECT_TIMEOUT_MS */
  timeoutMs?: number;
}

/**
 * Connects and PINGs, or throws a UsageError (exit 2) saying where and why — never falls back to unshared
 * limits. Once connected, commands wait out a Redis restart (they queue until it is back) rather than
 * failing items, because running unshared would overrun the account's limits.
 */
export async function connectRedis(url: string, options: ConnectRedisOptions = {}): Promise<Redis> {
  const where = describeRedisUrl(url);
  const timeoutMs = options.timeoutMs ?? REDIS_CONNECT_TIMEOUT_MS;
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: null,
    // No retries while starting: the first failure is the answer.
    retryStrategy: () => null,
  });
  let firstError: unknown;
  const onStartError = (error: unknown): void => {
    firstError ??= error;
  };
  client.on('error', onStartError);
  try {
    await withTimeout(client.connect(), timeoutMs);
    await withTimeout(client.ping(), timeoutMs);
  } catch (error) {
    client.disconnect();
    const reason = describeError(firstError ?? error);
    throw new UsageError(
      `cannot reach Redis at ${where} (${reason}). --redis shares rate limits between processes, so the run stops here rather than run unshared; nothing was sent. Check the URL and that Redis is up, or drop --redis.`,
    );
  } finally {
    client.off('error', onStartError);
  }
  client.options.retryStrategy = (attempt) => Math.min(attempt * RECONNECT_STEP_MS, MAX_RECONNECT_DELAY_MS);
  // Connections made from this one (`duplicate()`, as bottleneck does for its subscriber) connect at once.
  client.options.lazyConnect = false;
  return client;
}

function describeError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  const message = (error as Error | null)?.message;
  return typeof message === 'string' && message !== '' ? message : String(error);
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
