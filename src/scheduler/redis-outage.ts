/**
 * How long a running process waits for a Redis that went away before it stops the run. A restart or a
 * network blip of a few seconds is ridden out (commands queue and go through once it is back); longer, and
 * running on would mean either hanging for ever with a growing queue or overrunning the shared limits.
 */
export const REDIS_OUTAGE_GRACE_MS = 10_000;

/** How often the watch checks the outage's length. */
const CHECK_INTERVAL_MS = 250;

/** The part of an ioredis client the watch listens to. */
export interface RedisEvents {
  on(event: 'close' | 'ready', listener: () => void): unknown;
  off(event: 'close' | 'ready', listener: () => void): unknown;
}

/** What the watch reports; each at most once per outage, and `onLost` at most once in all. */
export interface OutageHandlers {
  /** The connection closed; the client is reconnecting. */
  onDown(): void;
  /** It is back within the grace period, after `downMs`. */
  onBack(downMs: number): void;
  /** Down for longer than the grace period: stop using Redis. */
  onLost(downMs: number): void;
}

/** Options for {@link watchRedisOutage}. */
export interface OutageOptions {
  /** @default REDIS_OUTAGE_GRACE_MS */
  graceMs?: number;
  /** @default Date.now */
  now?: () => number;
}

/** A running watch. */
export interface OutageWatch {
  /** True from a close until the connection is ready again (and for good once lost). */
  readonly down: boolean;
  stop(): void;
}

/**
 * Watches a connected client: a `close` starts an outage, `ready` ends it, and an outage longer than the
 * grace period is reported as lost. Only the decision is here; what to do about it is the run's.
 */
export function watchRedisOutage(client: RedisEvents, handlers: OutageHandlers, options: OutageOptions = {}): OutageWatch {
  const graceMs = options.graceMs ?? REDIS_OUTAGE_GRACE_MS;
  const now = options.now ?? Date.now;
  let downSince: number | undefined;
  let lost = false;
  let timer: NodeJS.Timeout | undefined;

  const check = (): void => {
    if (downSince === undefined || lost) return;
    const downMs = now() - downSince;
    if (downMs < graceMs) return;
    lost = true;
    stop();
    handlers.onLost(downMs);
  };
  const onClose = (): void => {
    if (downSince !== undefined || lost) return;
    downSince = now();
    // Not unref'd: while Redis is down, everything else may be waiting on promises that hold no handle, and
    // Node would quietly exit 0 with the run unfinished.
    timer = setInterval(check, CHECK_INTERVAL_MS);
    handlers.onDown();
  };
  const onReady = (): void => {
    if (downSince === undefined || lost) return;
    const downMs = now() - downSince;
    downSince = undefined;
    clearInterval(timer);
    handlers.onBack(downMs);
  };
  const stop = (): void => {
    clearInterval(timer);
    client.off('close', onClose);
    client.off('ready', onReady);
  };
  client.on('close', onClose);
  client.on('ready', onReady);
  return {
    get down() {
      return lost || downSince !== undefined;
    },
    stop,
  };
}
