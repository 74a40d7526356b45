import type { RunEvent } from '../run/events.js';

/**
 * Events pushed by a running job, read as an async iterable: buffered until read, ended when the job settles,
 * and rethrowing the job's error (a UsageError for bad options or input) at the end.
 */
export function eventStream<T>(start: (emit: (event: RunEvent) => void) => Promise<T>): AsyncIterable<RunEvent> & { result: Promise<T> } {
  const buffered: RunEvent[] = [];
  let wake: (() => void) | null = null;
  let settled = false;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const result = start((event) => {
    buffered.push(event);
    notify();
  }).finally(() => {
    settled = true;
    notify();
  });
  // The iterator rethrows the failure; this keeps an unread `result` from becoming an unhandled rejection.
  result.catch(() => undefined);

  async function* iterate(): AsyncGenerator<RunEvent> {
    for (;;) {
      while (buffered.length > 0) yield buffered.shift() as RunEvent;
      if (settled) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    await result;
  }
  return { [Symbol.asyncIterator]: iterate, result };
}
