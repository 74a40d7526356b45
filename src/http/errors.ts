/**
 * The failures a provider request can end in. One small hierarchy, built in one place, so the retry
 * layer (`retry/classify-failure.ts`) can decide by class and status, never by message text.
 */
import { redactSecrets } from './redact.js';

/** Provider messages are capped so one odd error body cannot flood a log line or failure record. */
const MAX_MESSAGE_LENGTH = 500;

/** A non-2xx HTTP response. `message` is the provider's own explanation, redacted. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly headers: Record<string, string>;
  /** The parsed error body (JSON when it was JSON, else the redacted text). */
  readonly body: unknown;
  /** `x-request-id` (OpenAI) or `request-id` (Anthropic): what support asks for. */
  readonly requestId?: string;
  /** OpenAI `error.type` (`invalid_request_error`, `insufficient_quota`) or Anthropic `error.type`. */
  readonly errorType?: string;
  /** OpenAI `error.code` (`insufficient_quota`, `rate_limit_exceeded`); Anthropic sends none. */
  readonly errorCode?: string;

  constructor(init: {
    status: number;
    headers: Record<string, string>;
    body: unknown;
    message: string;
    requestId?: string;
    errorType?: string;
    errorCode?: string;
  }) {
    super(init.message);
    this.status = init.status;
    this.headers = init.headers;
    this.body = init.body;
    this.requestId = init.requestId;
    this.errorType = init.errorType;
    this.errorCode = init.errorCode;
  }
}

/** The connection failed (reset, refused, DNS, socket closed). `code` is undici's or Node's `err.code`. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Our own per-request deadline fired (headers or body too slow). */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  /**
   * @param phase `headers`: no response began within the timeout; `body`: an answer began and then sent
   *   nothing for the timeout (a long answer that keeps streaming never times out).
   */
  constructor(
    readonly timeoutMs: number,
    readonly phase: 'headers' | 'body' = 'headers',
  ) {
    super(
      phase === 'headers'
        ? `request timed out after ${timeoutMs} ms without a response`
        : `the answer stalled: nothing received for ${timeoutMs} ms`,
    );
  }
}

/** A 2xx whose body is not JSON, was cut off, or lacks the answer. Retried: the next try usually works. */
export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponseError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** True for an abort caused by the caller's signal (SIGINT, run stopping), whichever library threw it. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** Build the error for the caller's signal aborting a request. */
export function createAbortError(): Error {
  const error = new Error('request aborted');
  error.name = 'AbortError';
  return error;
}

/**
 * Build an `ApiError` from a non-2xx response. Understands OpenAI's `{error:{message,type,param,code}}`
 * and Anthropic's `{type:'error', error:{type,message}}`; anything else (an HTML page from a proxy) keeps
 * a short snippet of the text. Pass text that may contain the key through `redactSecrets` first.
 */
export function createApiError(status: number, headers: Record<string, string>, bodyText: string): ApiError {
  const text = redactSecrets(bodyText);
  const body = parseJsonOrText(text);
  const detail = readErrorDetail(body);
  const requestId = headers['x-request-id'] ?? headers['request-id'] ?? readString(body, 'request_id');
  const explanation = detail.message ?? snippet(text) ?? 'no error message';
  const label = detail.type ?? detail.code;
  return new ApiError({
    status,
    headers,
    body,
    message: truncate(`HTTP ${status}${label ? ` ${label}` : ''}: ${explanation}`),
    requestId,
    errorType: detail.type,
    errorCode: detail.code,
  });
}

interface ErrorDetail {
  message?: string;
  type?: string;
  code?: string;
}

function readErrorDetail(body: unknown): ErrorDetail {
  if (!isRecord(body)) return {};
  const inner = body.error;
  if (isRecord(inner)) {
    return { message: readString(inner, 'message'), type: readString(inner, 'type'), code: readCode(inner.code) };
  }
  // Some OpenAI-compatible servers (vLLM, gateways) put the message at the top level.
  return { message: readString(body, 'message') ?? (typeof inner === 'string' ? inner : undefined) };
}

/** OpenAI's `code` is a string or null; some compatible servers send a number. */
function readCode(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function readString(value: unknown, key: string): string | undefined {
  if (!isRecord(value)) return undefined;
  const field = value[key];
  return typeof field === 'string' && field !== '' ? field : undefined;
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function snippet(text: string): string | undefined {
  const collapsed = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return collapsed === '' ? undefined : collapsed.slice(0, 200);
}

function truncate(message: string): string {
  return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : message;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
