import { setMaxListeners } from 'node:events';
import type { StopReason } from '../errors.js';

type StopListener = (reason: Exclude<StopReason, 'completed'>) => void;

/**
 * How the outside world (signals, the budget, a fatal API error) stops a run. The first stop ends
 * dispatching; in-flight requests finish. `abandon()` (a second Ctrl-C) aborts them too.
 */
export class RunControl {
  #reason: Exclude<StopReason, 'completed'> | null = null;
  #message: string | undefined;
  #internalError: unknown;
  readonly #abandon = new AbortController();
  readonly #listeners = new Set<StopListener>();

  constructor() {
    // Every request in flight listens on this one signal; hundreds at once are expected, not a leak.
    setMaxListeners(0, this.#abandon.signal);
  }

  /** Why dispatching stopped, or null while it goes on. */
  get stopReason(): Exclude<StopReason, 'completed'> | null {
    return this.#reason;
  }

  get stopMessage(): string | undefined {
    return this.#message;
  }

  get stopping(): boolean {
    return this.#reason !== null;
  }

  /** Aborted when in-flight requests must be given up (second interrupt). */
  get abandonSignal(): AbortSignal {
    return this.#abandon.signal;
  }

  /** Stop dispatching. The first reason wins: a fatal error during a budget stop stays a budget stop. */
  stop(reason: Exclude<StopReason, 'completed'>, message?: string): void {
    if (this.#reason !== null) return;
    this.#reason = reason;
    this.#message = message;
    for (const listener of this.#listeners) listener(reason);
  }

  /**
   * A bug surfaced inside the engine (an item's processing threw): stop dispatching, so the run can save its
   * state and then end with exit 70 instead of an unhandled rejection. The first error is kept.
   */
  fail(error: unknown): void {
    this.#internalError ??= error ?? new Error('unknown internal error');
    this.stop('fatal', `internal error: ${(error as Error)?.message ?? String(error)}`);
  }

  /** The error given to `fail`, if any. */
  get internalError(): unknown {
    return this.#internalError;
  }

  /** Give up on requests in flight; their items stay pending for a resume. */
  abandon(): void {
    this.#abandon.abort();
  }

  onStop(listener: StopListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
