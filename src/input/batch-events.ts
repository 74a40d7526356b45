/**
 * Rows gathered before the source is paused (a source that cannot pause mid-chunk, like the CSV parser,
 * may overshoot it by one chunk's rows). Rows that wait long enough outlive a young-generation GC and
 * fill the old space: on a million-line pre-scan, whole 256 KiB chunks (~2,900 rows) at once peaked at
 * 183–195 MB RSS, batches of 512 at 140–150 MB, at the same speed (SPEC §12: 250 MB).
 */
const DEFAULT_HIGH_WATER_MARK = 512;

/** An event source (readline, a parser stream) that can be paused, adapted for `readBatches`. */
export interface BatchSource<T> {
  /** Starts delivery; called once. */
  start(handlers: { value(value: T): void; end(): void; fail(error: unknown): void }): void;
  pause(): void;
  /** May deliver values (and end) before it returns. */
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
      // A source may deliver (or end) synchronously inside resume(): nothing would wake us then.
      if (batch.length > 0 || ended || failure) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    source.close();
  }
}
