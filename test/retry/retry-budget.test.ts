import { describe, expect, it } from 'vitest';
import type { FailureClass } from '../../src/journal/records.js';
import { INVALID_OUTPUT_MAX_RETRIES, shouldRetry } from '../../src/retry/retry-budget.js';
import type { Disposition, FailureOutcome } from '../../src/retry/types.js';

function outcome(disposition: Disposition, failureClass: FailureClass): FailureOutcome {
  return { disposition, info: { class: failureClass, message: 'x' }, pausesDispatch: false };
}

describe('shouldRetry', () => {
  it.each<[string, FailureOutcome, number, number, boolean]>([
    ['first failure of a retryable error', outcome('retry', 'server'), 1, 6, true],
    ['last allowed retry', outcome('retry', 'server'), 6, 6, true],
    ['retries used up', outcome('retry', 'server'), 7, 6, false],
    ['--max-retries 0', outcome('retry', 'network'), 1, 0, false],
    ['dead letters are not retried', outcome('dead-letter', 'bad_request'), 1, 6, false],
    ['fatal failures are not retried', outcome('fatal', 'auth'), 1, 6, false],
    ['invalid output: first retry', outcome('retry', 'invalid_output'), 1, 6, true],
    ['invalid output: its own smaller cap', outcome('retry', 'invalid_output'), INVALID_OUTPUT_MAX_RETRIES + 1, 6, false],
    ['invalid output: never more than --max-retries', outcome('retry', 'invalid_output'), 2, 1, false],
  ])('%s', (_name, failure, attempts, maxRetries, expected) => {
    expect(shouldRetry(failure, attempts, maxRetries)).toBe(expected);
  });
});
