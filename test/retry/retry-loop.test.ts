import { describe, expect, it } from 'vitest';
import type { FailureClass } from '../../src/journal/records.js';
import { retryLoop, STOP, type RetryLoop } from '../../src/retry/retry-loop.js';
import { shouldRetry } from '../../src/retry/retry-policy.js';
import type { Disposition, FailureOutcome } from '../../src/retry/types.js';

const outcome = (cls: FailureClass, disposition: Disposition = 'retry'): FailureOutcome => ({
  info: { class: cls, message: cls },
  disposition,
  pausesDispatch: false,
});

/** A loop whose attempts fail with `failures` in order, then succeed with the attempt number. */
function loop(failures: Array<FailureOutcome | typeof STOP>, overrides: Partial<RetryLoop<number>> = {}) {
  const waits: number[] = [];
  const retries: number[] = [];
  const options: RetryLoop<number> = {
    limits: { maxRetries: 3, maxInvalidOutputRetries: 1 },
    attempt: async (attempt) => {
      if (attempt <= failures.length) throw failures[attempt - 1];
      return attempt;
    },
    judge: (error) => error as FailureOutcome | typeof STOP,
    delayMs: (attempt) => attempt * 100,
    onRetry: (attempt) => void retries.push(attempt),
    wait: async (ms) => void waits.push(ms),
    ...overrides,
  };
  return { run: () => retryLoop(options), waits, retries };
}

describe('shouldRetry', () => {
  it('retries only retryable outcomes, within max retries and the invalid-output cap', () => {
    const limits = { maxRetries: 2, maxInvalidOutputRetries: 1 };
    expect(shouldRetry(outcome('server'), { attempts: 1, invalidOutputs: 0 }, limits)).toBe(true);
    expect(shouldRetry(outcome('server'), { attempts: 2, invalidOutputs: 0 }, limits)).toBe(true);
    expect(shouldRetry(outcome('server'), { attempts: 3, invalidOutputs: 0 }, limits)).toBe(false);
    expect(shouldRetry(outcome('bad_request', 'dead-letter'), { attempts: 1, invalidOutputs: 0 }, limits)).toBe(false);
    expect(shouldRetry(outcome('auth', 'fatal'), { attempts: 1, invalidOutputs: 0 }, limits)).toBe(false);
    expect(shouldRetry(outcome('invalid_output'), { attempts: 1, invalidOutputs: 1 }, limits)).toBe(true);
    expect(shouldRetry(outcome('invalid_output'), { attempts: 2, invalidOutputs: 2 }, limits)).toBe(false);
    expect(shouldRetry(outcome('invalid_output'), { attempts: 2, invalidOutputs: 2 }, { maxRetries: 2 })).toBe(true);
  });
});

describe('retryLoop', () => {
  it('retries with the delays it is given and returns the answer with the attempt count', async () => {
    const { run, waits, retries } = loop([outcome('server'), outcome('rate_limit')]);
    await expect(run()).resolves.toEqual({ kind: 'ok', value: 3, attempts: 3 });
    expect(waits).toEqual([100, 200]);
    expect(retries).toEqual([1, 2]);
  });

  it('gives up after max retries with the last verdict and error', async () => {
    const server = outcome('server');
    const result = await loop([server, server, server, server, server]).run();
    expect(result).toEqual({ kind: 'gave-up', outcome: server, error: server, attempts: 4 });
  });

  it('gives up at once on a non-retryable or fatal verdict', async () => {
    await expect(loop([outcome('bad_request', 'dead-letter')]).run()).resolves.toMatchObject({ kind: 'gave-up', attempts: 1 });
    await expect(loop([outcome('auth', 'fatal')]).run()).resolves.toMatchObject({ kind: 'gave-up', attempts: 1 });
  });

  it('counts invalid answers against their own cap', async () => {
    const invalid = outcome('invalid_output');
    await expect(loop([invalid, outcome('server'), invalid]).run()).resolves.toMatchObject({ kind: 'gave-up', attempts: 3 });
  });

  it('ends as stopped when judge says the run is stopping, or before a try when it is', async () => {
    await expect(loop([outcome('server'), STOP]).run()).resolves.toEqual({ kind: 'stopped' });
    let tries = 0;
    const stopping = loop([], { stopping: () => tries > 0, attempt: async () => { tries += 1; throw outcome('server'); } });
    await expect(stopping.run()).resolves.toEqual({ kind: 'stopped' });
    expect(tries).toBe(1);
  });

  it('ends with the error of a wait that rejects', async () => {
    const aborted = Object.assign(new Error('aborted'), { name: 'AbortError' });
    await expect(loop([outcome('server')], { wait: () => Promise.reject(aborted) }).run()).rejects.toBe(aborted);
  });
});
