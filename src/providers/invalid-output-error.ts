/**
 * An answer that arrived but cannot be used: not the structured output asked for, or a refusal. It lives beside the provider types, not
 * in `http/`: it is a verdict on the answer's content (`validate-output.ts`), not a transport failure.
 */
import type { Completion } from './types.js';

/** Why an answer was rejected by `validateOutput`. */
export type InvalidOutputReason = 'truncated' | 'invalid_json' | 'schema_mismatch';

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

/** Refusal texts are capped so one long refusal cannot flood a log line or failure record. */
const MAX_REFUSAL_MESSAGE_LENGTH = 500;

/**
 * The model declined to answer (OpenAI `message.refusal`, Anthropic `stop_reason: "refusal"`). Never an
 * answer, never retried (the same request is refused again): a `refusal` dead letter with the model's
 * text. It carries the completion because its tokens were paid for.
 */
export class RefusalError extends Error {
  override readonly name = 'RefusalError';
  constructor(readonly completion: Completion & { refusal: string }) {
    const message = `the model refused to answer: ${completion.refusal}`;
    super(message.length > MAX_REFUSAL_MESSAGE_LENGTH ? `${message.slice(0, MAX_REFUSAL_MESSAGE_LENGTH - 1)}…` : message);
  }
}
