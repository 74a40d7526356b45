import Bottleneck from 'bottleneck';
import type { Redis } from 'ioredis';
import { UsageError } from '../errors.js';
import { connectRedis, REDIS_CONNECT_TIMEOUT_MS, withTimeout, type ConnectRedisOptions } from './redis-connect.js';
import { describeRedisUrl } from './redis-url.js';
import { clusteredLimiterOptions, redisLimiterId, type LimiterAccount } from './redis-limiter-options.js';

/**
 * One process's connection to the Redis that shares limits (and optionally a budget) with the other
 * processes of a scaled-out run (SPEC §13): a command client and, inside bottleneck's connection, a
 * subscriber for its capacity messages. Both limiters of the scheduler and the shared budget use it.
 */
export interface RedisLink {
  /** The command connection (shared budget scripts). */
  readonly client: Redis;
  /** The account's bottleneck id prefix: `llm-batch:<provider>:<base URL>:<key hash>`. */
  readonly id: string;
  /** For `createScheduler({ limiterOptions })`. */
  readonly limiterOptions: Bottleneck.ConstructorOptions;
  /** Quits both connections. Disconnect the limiters first. */
  close(): Promise<void>;
  /**
   * Hangs up both connections at once, without waiting for Redis: queued and later commands fail at once
   * instead of waiting for a server that is gone (see `redis-outage.ts`).
   */
  hangUp(): Promise<void>;
}

/** Connects (UsageError, exit 2, when Redis does not answer) and prepares the limiter options. */
export async function openRedisLink(
  url: string,
  account: LimiterAccount,
  onError: (error: unknown) => void,
  options: ConnectRedisOptions = {},
): Promise<RedisLink> {
  const client = await connectRedis(url, options);
  // Errors of both connections reach `onError` through bottleneck's connection (no second listener).
  const connection = new Bottleneck.IORedisConnection({ client });
  connection.on('error', onError);
  // Bottleneck's subscriber is a second connection: it must be up too before the run counts on it.
  const { ready } = connection as unknown as { ready: Promise<unknown> };
  try {
    await withTimeout(ready, options.timeoutMs ?? REDIS_CONNECT_TIMEOUT_MS);
  } catch (error) {
    await connection.disconnect(false);
    throw new UsageError(`cannot subscribe to Redis at ${describeRedisUrl(url)} (${(error as Error).message}): nothing was sent`);
  }
  const id = redisLimiterId(account);
  let closed: Promise<void> | undefined;
  return {
    client,
    id,
    limiterOptions: clusteredLimiterOptions(connection, id),
    close() {
      closed ??= quit(connection);
      return closed;
    },
    hangUp() {
      const { subscriber } = connection as unknown as { subscriber?: Redis };
      for (const redis of [client, subscriber]) if (redis !== undefined) abandon(redis);
      closed ??= connection.disconnect(false).catch(() => undefined);
      return closed;
    },
  };
}

/**
 * Fails what is queued for a server that is gone, and whatever is sent later, at once. ioredis alone would
 * not: `disconnect()` while it is between reconnect attempts cancels the next attempt but leaves the
 * offline queue waiting, on promises that hold no handle, so Node would quietly exit 0 mid-run.
 */
function abandon(redis: Redis): void {
  redis.options.enableOfflineQueue = false;
  (redis as unknown as { flushQueue?: (error: Error) => void }).flushQueue?.(new Error('Redis went away'));
  redis.disconnect();
}

/** A QUIT waits for Redis; one that is down would hold the process, so after this long just hang up. */
const QUIT_TIMEOUT_MS = 1_000;

async function quit(connection: Bottleneck.IORedisConnection): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), QUIT_TIMEOUT_MS);
  });
  const quitted = connection.disconnect(true).then(
    () => false,
    () => true,
  );
  const hangUp = await Promise.race([quitted, timedOut]);
  clearTimeout(timer);
  if (hangUp) await connection.disconnect(false);
}
