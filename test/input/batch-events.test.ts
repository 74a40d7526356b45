import { describe, expect, it } from 'vitest';
import { readBatches, type BatchSource } from '../../src/input/batch-events.js';

/** A source that emits `total` numbers, `perTick` at a time, whenever it is flowing. */
function countingSource(total: number, perTick: number, failAt?: number) {
  const log = { pauses: 0, closed: false, maxBuffered: 0 };
  let next = 0;
  let paused = false;
  let handlers: Parameters<BatchSource<number>['start']>[0] | undefined;
  const tick = (): void => {
    if (paused || !handlers || log.closed) return;
    for (let i = 0; i < perTick && next < total; i += 1) {
      if (next === failAt) {
        handlers.fail(new Error('disk on fire'));
        return;
      }
      handlers.value(next);
      next += 1;
    }
    if (next === total) handlers.end();
    else setImmediate(tick);
  };
  const source: BatchSource<number> = {
    start(h) {
      handlers = h;
      setImmediate(tick);
    },
    pause() {
      log.pauses += 1;
      paused = true;
    },
    resume() {
      if (!paused) return;
      paused = false;
      setImmediate(tick);
    },
    close() {
      log.closed = true;
    },
  };
  return { source, log, emitted: () => next };
}

describe('readBatches', () => {
  it('delivers every value in order and closes the source at the end', async () => {
    const { source, log } = countingSource(10_000, 300);
    const values: number[] = [];
    for await (const batch of readBatches(source, 1000)) values.push(...batch);
    expect(values).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
    expect(log.closed).toBe(true);
  });

  it('pauses the source while a slow consumer holds a full batch, so read-ahead stays bounded', async () => {
    const { source, log, emitted } = countingSource(100_000, 500);
    let consumed = 0;
    let maxAhead = 0;
    for await (const batch of readBatches(source, 1000)) {
      consumed += batch.length;
      await new Promise((resolve) => setTimeout(resolve, 1));
      maxAhead = Math.max(maxAhead, emitted() - consumed);
    }
    expect(consumed).toBe(100_000);
    expect(log.pauses).toBeGreaterThan(0);
    // One batch plus what one tick emits after the pause request.
    expect(maxAhead).toBeLessThanOrEqual(1000 + 500);
  });

  it('hands over a partial batch without waiting for it to fill (a trickling stdin)', async () => {
    const { source } = countingSource(3, 1);
    const batches: number[][] = [];
    for await (const batch of readBatches(source, 1000)) batches.push(batch);
    expect(batches.flat()).toEqual([0, 1, 2]);
    expect(batches.length).toBeGreaterThan(1);
  });

  it('delivers the values before a failure, then throws it', async () => {
    const { source } = countingSource(100, 10, 25);
    const values: number[] = [];
    await expect(
      (async () => {
        for await (const batch of readBatches(source, 1000)) values.push(...batch);
      })(),
    ).rejects.toThrow('disk on fire');
    expect(values).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it('closes the source when the consumer stops early', async () => {
    const { source, log } = countingSource(100_000, 100);
    for await (const batch of readBatches(source, 50)) {
      if (batch.length > 0) break;
    }
    expect(log.closed).toBe(true);
  });
});
