import type { RunEvent } from '../../src/run/events.js';
import { createScheduler, type Scheduler, type SchedulerOptions } from '../../src/scheduler/scheduler.js';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A scheduler that records its events and when each task started (ms since the test began). */
export function startRecording(options: Omit<SchedulerOptions, 'provider'> & { provider?: SchedulerOptions['provider'] }) {
  const events: RunEvent[] = [];
  const scheduler: Scheduler = createScheduler({ provider: 'openai', onEvent: (event) => events.push(event), ...options });
  const origin = performance.now();
  const starts: number[] = [];
  const elapsed = (): number => performance.now() - origin;
  /** Schedules a task that notes its start and then waits `durationMs`. */
  const job = (tokens: number, durationMs = 0, onStart?: () => void): Promise<number> =>
    scheduler.schedule(tokens, async () => {
      const at = elapsed();
      starts.push(at);
      onStart?.();
      if (durationMs > 0) await sleep(durationMs);
      return at;
    });
  return { scheduler, events, starts, elapsed, job };
}

/** A promise with its resolve exposed. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}
