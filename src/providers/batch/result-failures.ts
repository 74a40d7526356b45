/**
 * Dead-letter info for requests that failed inside a batch. A batch has no retries of its own: every
 * failure becomes a dead letter whose class says why, and `--resume` retries it in a new batch.
 */
import { createApiError, MalformedResponseError } from '../../http/errors.js';
import type { FailureClass, FailureInfo } from '../../journal/records.js';
import { classifyFailure } from '../../retry/classify-failure.js';
import type { BatchEnd } from './types.js';

/** Error messages from result files are capped like every provider message. */
const MAX_MESSAGE_LENGTH = 500;

/** A request's HTTP error inside a batch, classified exactly as the same realtime response would be. */
export function failureFromStatus(status: number, body: unknown): FailureInfo {
  const error = createApiError(status, {}, typeof body === 'string' ? body : JSON.stringify(body ?? null));
  // Classification only: the disposition is irrelevant, a batch request is never retried in place.
  return classifyFailure(error, { maxWaitMs: Number.POSITIVE_INFINITY }).info;
}

/** A 2xx result whose body holds no usable answer. */
export function failureFromMalformed(error: unknown): FailureInfo {
  if (error instanceof MalformedResponseError) {
    return { class: 'server', code: 'malformed_response', message: capMessage(error.message) };
  }
  throw error;
}

/**
 * Anthropic's `error.type` inside an errored result → our class. Unknown types count as server errors:
 * retrying them on resume is the safe default.
 */
const ANTHROPIC_ERROR_CLASSES: Readonly<Record<string, FailureClass>> = {
  invalid_request_error: 'bad_request',
  not_found_error: 'bad_request',
  request_too_large: 'bad_request',
  authentication_error: 'auth',
  permission_error: 'auth',
  billing_error: 'quota',
  rate_limit_error: 'rate_limit',
  overloaded_error: 'overloaded',
  timeout_error: 'timeout',
  api_error: 'server',
};

export function failureFromAnthropicError(type: string, message: string): FailureInfo {
  return { class: ANTHROPIC_ERROR_CLASSES[type] ?? 'server', code: type, message: capMessage(message) };
}

/** OpenAI's per-request `error.code` when a request never ran. */
const OPENAI_ERROR_CLASSES: Readonly<Record<string, FailureClass>> = {
  batch_expired: 'expired',
  batch_cancelled: 'canceled',
};

export function failureFromOpenAiError(code: string, message: string): FailureInfo {
  return { class: OPENAI_ERROR_CLASSES[code] ?? 'server', code, message: capMessage(message) };
}

/** A request the ended batch returned no result for: it never ran, for the reason the batch ended. */
export function failureForMissing(end: BatchEnd, batchId: string, reason?: string): FailureInfo {
  switch (end) {
    case 'expired':
      return { class: 'expired', message: `batch ${batchId} expired before this request ran` };
    case 'canceled':
      return { class: 'canceled', message: `batch ${batchId} was canceled before this request ran` };
    case 'failed':
      return { class: 'bad_request', code: 'batch_failed', message: capMessage(`batch ${batchId} failed${reason ? `: ${reason}` : ''}`) };
    case 'completed':
      return { class: 'server', code: 'missing_result', message: `batch ${batchId} ended without a result for this request` };
  }
}

export function capMessage(message: string): string {
  return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : message;
}
