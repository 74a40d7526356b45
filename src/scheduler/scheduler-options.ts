import { UsageError } from '../errors.js';
import type { SchedulerOptions } from './scheduler-types.js';

/** Checks the numbers once, with messages that name the option and the value (they come from flags). */
export function validateSchedulerOptions(options: SchedulerOptions): void {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new UsageError(`Expected \`concurrency\` to be an integer from 1 and up, got \`${options.concurrency}\``);
  }
  for (const name of ['rpm', 'tpm'] as const) {
    const value = options[name];
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      throw new UsageError(`Expected \`${name}\` to be a number above 0, got \`${value}\``);
    }
  }
}
