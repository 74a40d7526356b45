import type Bottleneck from 'bottleneck';
import type { ProviderId } from '../providers/types.js';
import type { RunEvent } from '../run/events.js';

/** Options for `createScheduler`. */
export interface SchedulerOptions {
  /** Most requests in flight. */
  concurrency: number;
  /** User-fixed request limit per minute (`--rpm`). @default learned from response headers */
  rpm?: number;
  /** User-fixed token limit per minute (`--tpm`). @default learned from response headers */
  tpm?: number;
  /** The provider whose key these limits belong to (names the limiters and their messages). */
  provider: ProviderId;
  /** Clock. @default Date.now */
  now?: () => number;
  /** Receives `rate-limited` and `rate-limits-learned`. @default none */
  onEvent?: (event: RunEvent) => void;
  /**
   * Bottleneck options shared by both limiters (`datastore`, connection, `id`): the clustering hook (§13).
   * @default {} (in-process)
   */
  limiterOptions?: Bottleneck.ConstructorOptions;
}

/** Paces requests for one provider key. */
export interface Scheduler {
  /** Runs task when a concurrency slot, one request of rate and `tokens` tokens of rate are free. */
  schedule<T>(tokens: number, task: () => Promise<T>): Promise<T>;
  /** Any response (2xx or error) with rate-limit headers. */
  observeHeaders(headers: Record<string, string>): void;
  /** A 429/529: pause ALL dispatch until the advised time (or a backoff), then resume at a reduced rate. */
  reportRateLimited(retryAfterMs: number | undefined, status?: number): void;
  reportSuccess(): void;
  /** Corrects the token charge of a finished request with its actual usage. */
  reportTokens(estimated: number, actual: number): void;
  readonly inFlight: number;
  readonly queued: number;
  /** True while dispatch is held by a rate-limit pause (for `RunTotals.paused`). */
  readonly paused: boolean;
  /** The rates being applied now (after learning and AIMD); absent means unlimited. */
  readonly limits: { rpm?: number; tpm?: number };
  /** Start nothing new; queued jobs reject with SchedulerStoppedError. Running tasks finish. */
  stop(): void;
  /** Stops and disconnects the limiters. */
  close(): Promise<void>;
}

/** A job that was still waiting when the scheduler stopped. */
export class SchedulerStoppedError extends Error {
  override readonly name = 'SchedulerStoppedError';
  constructor() {
    super('the scheduler was stopped before this request was sent');
  }
}
