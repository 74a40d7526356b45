import type Bottleneck from 'bottleneck';
import type { ProviderId } from '../providers/types.js';
import type { PauseReason, RunEvent } from '../run/events.js';

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
   * Bottleneck options shared by every limiter (`datastore`, connection, `id`): the clustering hook (§13).
   * @default {} (in-process)
   */
  limiterOptions?: Bottleneck.ConstructorOptions;
}

/** What a request is expected to cost the token limits before it is sent. */
export interface RequestCost {
  /** Estimated input tokens. */
  input: number;
  /** The most output tokens it may use (what providers charge up front). */
  output: number;
}

/** What a request actually used, as its usage reports it. */
export interface ActualTokens {
  /** All input tokens, cache reads included. */
  input: number;
  /** Input tokens read from the provider's prompt cache (Anthropic does not charge them to its ITPM). */
  cachedInput: number;
  output: number;
}

/** Handed to a task when it starts; give it back with the headers of its answer. */
export interface DispatchTicket {
  /** Running totals of what had been sent, this request included, when it left (see `correctedLevel`). */
  readonly sent: Readonly<Record<string, number>>;
  /** What was sent and still unanswered when it left, itself excluded: answers may arrive out of order. */
  readonly unansweredBefore: Readonly<Record<string, number>>;
}

/** A 429 or 529 that reached the retry layer. */
export interface RefusalNotice {
  status: number;
  retryAfterMs?: number;
  /** The refused response's headers (a window at 0 is evidence that the account's limit is reached). */
  headers?: Record<string, string>;
  /** Identifies the request, so one item's repeated refusals count once. */
  requestId?: string;
}

/** Paces requests for one provider key. */
export interface Scheduler {
  /**
   * Runs task when a concurrency slot, one request of rate and the tokens of `cost` are free. A number
   * is a token count charged as input.
   */
  schedule<T>(cost: number | RequestCost, task: (ticket: DispatchTicket) => Promise<T>): Promise<T>;
  /** Any response (2xx or error) with rate-limit headers; `ticket` is the one its task was given. */
  observeHeaders(headers: Record<string, string>, ticket?: DispatchTicket): void;
  /**
   * A 429/529. Pauses ALL dispatch only on evidence that the account's limit is reached (or briefly, for
   * a 529); an isolated 429 is left to the retry layer, which delays only its own item.
   */
  reportRefused(notice: RefusalNotice): void;
  reportSuccess(): void;
  /** Corrects the token charges of a finished request with its actual usage. */
  reportUsage(estimated: RequestCost, actual: ActualTokens): void;
  readonly inFlight: number;
  readonly queued: number;
  /** True while dispatch is held by a rate-limit pause (for `RunTotals.paused`). */
  readonly paused: boolean;
  /** Why dispatch is held (a 429 limit or a 529 overload); null while it is not. */
  readonly pauseReason: PauseReason | null;
  /** The rates being applied now (after learning and AIMD); absent means unlimited. */
  readonly limits: { rpm?: number; tpm?: number; inputTpm?: number; outputTpm?: number };
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
