/**
 * An answer that arrived but cannot be used as structured output. It lives beside the provider types, not
 * in `http/`: it is a verdict on the answer's content (`validate-output.ts`), not a transport failure.
 */
import type { Completion } from './types.js';

/** Why an answer was rejected by `validateOutput`. */
export type InvalidOutputReason = 'truncated' | 'invalid_json' | 'schema_mismatch' | 'refusal';

/**
 * The answer arrived but does not satisfy the schema (or is not JSON, or was cut off). It carries the
 * completion because its tokens were still paid for.
 */
export class InvalidOutputError extends Error {
  override readonly name = 'InvalidOutputError';
  constructor(
    message: string,
    readonly reason: InvalidOutputReason,
    readonly completion: Completion,
  ) {
    super(message);
  }
}
