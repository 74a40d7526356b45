/**
 * The retry policy's first half: what a failed attempt means (SPEC §8). Pure: an error in, a verdict out.
 * `backoff.ts` says how long to wait.
 */
import {
  ApiError,
  isAbortError,
  MalformedResponseError,
  NetworkError,
  TimeoutError,
} from '../http/errors.js';
import { parseRetryAfter } from '../http/retry-after.js';
import { InvalidOutputError, RefusalError } from '../providers/invalid-output-error.js';
import type { FailureClass, FailureInfo } from '../journal/records.js';
import type { Disposition, FailureOutcome } from './types.js';

export interface ClassifyOptions {
  /** Longest server-advised wait (`--max-wait`) before the run gives up instead, in ms. */
  maxWaitMs: number;
  /**
   * Words for a model this key cannot use (404 `model_not_found` / `not_found_error`): the model and the
   * closest known names. @default the provider's own message
   */
  describeMissingModel?: (providerMessage: string) => string;
  /** The clock, for `retry-after` given as an HTTP date. @default Date.now() */
  nowMs?: number;
}

/**
 * Anthropic sends HTTP 529 `overloaded_error` when the whole API is busy: retried and paused like a rate
 * limit, but its own failure class (`overloaded`), since no rate of ours caused it.
 */
const ANTHROPIC_OVERLOADED = 529;

/**
 * Anthropic reports an empty prepaid balance as a plain 400 `invalid_request_error` with no distinct type
 * or code, so the message is the only signal. Without this, every item would be dead-lettered as a bad
 * request instead of the run stopping (exit 4).
 */
const CREDIT_BALANCE_TOO_LOW = /credit balance is too low/i;

/**
 * Decide what a failed attempt means. AbortError (the caller's own signal) is not a failure of the item and
 * is thrown back unchanged; so is anything that is not one of our HTTP errors, because that is a bug in
 * llm-batch and must not be retried or dead-lettered silently.
 */
export function classifyFailure(error: unknown, options: ClassifyOptions): FailureOutcome {
  if (isAbortError(error)) throw error;
  if (error instanceof ApiError) return classifyApiError(error, options);
  if (error instanceof NetworkError) return verdict('retry', { class: 'network', code: error.code, message: error.message });
  if (error instanceof TimeoutError) return verdict('retry', { class: 'timeout', message: error.message });
  if (error instanceof MalformedResponseError) {
    return verdict('retry', {
      class: 'server',
      status: error.status,
      code: 'malformed_response',
      message: error.message,
    });
  }
  if (error instanceof RefusalError) return verdict('dead-letter', { class: 'refusal', code: 'refusal', message: error.message });
  if (error instanceof InvalidOutputError) {
    return verdict('retry', { class: 'invalid_output', code: error.reason, message: error.message });
  }
  throw error;
}

function classifyApiError(error: ApiError, options: ClassifyOptions): FailureOutcome {
  const { status } = error;
  const info = (failureClass: FailureClass, code = error.errorCode ?? error.errorType): FailureInfo =>
    dropUndefined({ class: failureClass, status, code, message: error.message });

  if (status === 401 || status === 403) return verdict('fatal', info('auth'));
  // 402 Payment Required: OpenRouter and other gateways when the account is out of credit.
  if (status === 402) return verdict('fatal', info('quota'));
  if (status === 429 && (error.errorCode === 'insufficient_quota' || error.errorType === 'insufficient_quota')) {
    return verdict('fatal', info('quota', 'insufficient_quota'));
  }
  if (status === 400 && CREDIT_BALANCE_TOO_LOW.test(error.message)) {
    return verdict('fatal', info('quota', 'credit_balance_too_low'));
  }

  // Flex processing's "resource unavailable" is not a rate limit: nothing is billed, the rate is fine, and
  // OpenAI advises retrying with backoff (or on the default tier). So no pause and no Retry-After wait.
  if (isFlexUnavailable(error)) return verdict('retry', info('rate_limit', FLEX_UNAVAILABLE_CODE));

  // Every request names the same model: the first such answer stops the run instead of failing every row.
  if (isModelNotFound(error)) {
    const message = options.describeMissingModel?.(error.message) ?? error.message;
    return verdict('fatal', { ...info('bad_request', 'model_not_found'), message });
  }

  // Both official SDKs let the server overrule the status: `x-should-retry: true|false` wins.
  const advice = error.headers['x-should-retry'];
  const retryClass = retryableClass(status) ?? (advice === 'true' ? 'server' : undefined);
  if (retryClass === undefined) return verdict('dead-letter', info('bad_request'));
  if (advice === 'false') return verdict('dead-letter', info(retryClass));

  const retryAfterMs = parseRetryAfter(error.headers, options.nowMs ?? Date.now());
  const pausesDispatch = status === 429 || status === ANTHROPIC_OVERLOADED;
  if (retryAfterMs !== undefined && retryAfterMs > options.maxWaitMs) {
    return {
      disposition: 'fatal',
      info: {
        ...info(retryClass),
        message:
          `HTTP ${status}: the server asked to wait ${formatDuration(retryAfterMs)} before retrying, longer than ` +
          `--max-wait (${formatDuration(options.maxWaitMs)}); run again later with --resume, or raise --max-wait`,
        retry_after_ms: retryAfterMs,
      },
      retryAfterMs,
      pausesDispatch,
    };
  }
  return {
    disposition: 'retry',
    info: { ...info(retryClass), ...(retryAfterMs !== undefined && { retry_after_ms: retryAfterMs }) },
    retryAfterMs,
    pausesDispatch,
  };
}

/** OpenAI 404 `model_not_found`; Anthropic 404 `not_found_error` (its only 404 on /v1/messages is the model). */
function isModelNotFound(error: ApiError): boolean {
  return error.status === 404 && (error.errorCode === 'model_not_found' || error.errorType === 'not_found_error');
}

/** The failure code of a flex-tier "resource unavailable" answer (`--flex-fallback` counts these). */
export const FLEX_UNAVAILABLE_CODE = 'resource_unavailable';

/**
 * OpenAI answers a flex request it has no capacity for with 429 "Resource Unavailable"; its code is the
 * signal where present, the message otherwise (the only place the condition is named).
 */
function isFlexUnavailable(error: ApiError): boolean {
  return error.status === 429 && (error.errorCode === FLEX_UNAVAILABLE_CODE || /resource unavailable/i.test(error.message));
}

/** The failure class of a retryable status, or undefined when the request itself is at fault. */
function retryableClass(status: number): FailureClass | undefined {
  if (status === 429) return 'rate_limit';
  // Retried and paused like a 429, but recorded as what it is: the provider's overload, not our rate.
  if (status === ANTHROPIC_OVERLOADED) return 'overloaded';
  if (status === 408) return 'timeout';
  // 409: OpenAI's "conflict" is a transient lock on their side; the SDKs retry it too.
  if (status === 409 || status >= 500) return 'server';
  return undefined;
}

function verdict(disposition: Disposition, info: FailureInfo): FailureOutcome {
  return { disposition, info: dropUndefined(info), pausesDispatch: false };
}

/** Failure records are JSON: leave absent fields out rather than writing `undefined` keys around. */
function dropUndefined(info: FailureInfo): FailureInfo {
  return Object.fromEntries(Object.entries(info).filter(([, value]) => value !== undefined)) as unknown as FailureInfo;
}

/** `90 s`, `15 min`, `2 h 5 min`: a wait as a person would say it. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
