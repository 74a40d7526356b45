/**
 * Rows gathered before the source is paused; a chunk already split may overshoot it by one chunk's rows.
 * About one 64 KiB chunk of short JSONL lines: more only keeps parsed rows alive longer (see open-input.ts).
 */
const DEFAULT_HIGH_WATER_MARK = 512;

/** An event source (readline, a parser stream) that can be paused, adapted for `readBatches`. */
export interface BatchSource<T> {
  /** Starts delivery; called once. */
  start(handlers: { value(value: T): void; end(): void; fail(error: unknown): void }): void;
  pause(): void;
  resume(): void;
  /** Releases the source when the consumer stops early or delivery ended. */
  close(): void;
}

/**
 * Turns a pausable event source into an async iterable of arrays. Awaiting once per row costs more than the
 * parsing itself on million-line files; once per batch is noise. The source is paused while a full batch
 * waits, so read-ahead stays bounded.
 */
export async function* readBatches<T>(
  source: BatchSource<T>,
  highWaterMark = DEFAULT_HIGH_WATER_MARK,
): AsyncGenerator<T[]> {
  let batch: T[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  source.start({
    value(value) {
      // After a failure nothing more is delivered: the rows that follow it may depend on what failed.
      if (failure) return;
      batch.push(value);
      if (batch.length >= highWaterMark) source.pause();
      // Wake on the first row: rows of the same chunk arrive synchronously, so they still share one batch,
      // and a slow producer (stdin) is not held back until a batch fills.
      notify();
    },
    end() {
      ended = true;
      notify();
    },
    fail(error) {
      failure ??= { error };
      notify();
    },
  });
  try {
    for (;;) {
      if (batch.length > 0) {
        const ready = batch;
        batch = [];
        yield ready;
        continue;
      }
      if (failure) throw failure.error;
      if (ended) return;
      source.resume();
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    source.close();
  }
}
