import { UsageError } from '../../src/errors.js';

/** The `UsageError` that `run` throws; fails the test when it throws nothing or something else. */
export function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}
