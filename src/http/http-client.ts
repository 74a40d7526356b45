/**
 * The one JSON POST client both adapters use: an undici `Agent` with keep-alive pools sized to the run's
 * concurrency (global `fetch` measured about 10x slower at this volume), our own deadline, and every
 * failure turned into one of the errors in `./errors.ts`. No retries here: the retry layer is `retry/`.
 */
import { Agent, type Dispatcher } from 'undici';
import {
  createAbortError,
  createApiError,
  MalformedResponseError,
  NetworkError,
  TimeoutError,
} from './errors.js';
import { findNetworkCode, TRUNCATED_BODY_CODE, codesOf } from './network-codes.js';
import { redactSecrets } from './redact.js';

export interface HttpClientOptions {
  /**
   * Most open connections per origin; size it to the run's concurrency so no request waits for a socket.
   * @default 16
   */
  connections?: number;
  /** Deadline per request, in ms, when `postJson` is not given one. @default 120000 */
  timeoutMs?: number;
  /** Values scrubbed from every error message and error body (the API key). @default [] */
  secrets?: readonly string[];
  /**
   * A dispatcher to send through instead of our own `Agent` (undici `MockAgent` in tests). The client does
   * not close an injected dispatcher.
   * @default a keep-alive `Agent`
   */
  dispatcher?: Dispatcher;
}

export interface PostOptions {
  /** The caller's signal: aborting it rejects with an error named `AbortError`. */
  signal?: AbortSignal;
  /**
   * Deadline in ms for the response to begin (status and headers), then for each stall of its body: an
   * answer still streaming in is never cut off, one that stops sending is. @default the client's `timeoutMs`
   */
  timeoutMs?: number;
}

/** A 2xx response with its body parsed as JSON. Header names are lowercase. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface HttpClient {
  /** POST `body` as JSON to the absolute `url`; resolve on 2xx, reject with a typed error otherwise. */
  postJson(url: string, headers: Record<string, string>, body: unknown, options?: PostOptions): Promise<HttpResponse>;
  close(): Promise<void>;
}

const DEFAULT_CONNECTIONS = 16;
const DEFAULT_TIMEOUT_MS = 120_000;
/** Idle sockets are kept this long for the next request; the server's keep-alive hint may shorten it. */
const KEEP_ALIVE_MS = 30_000;
/**
 * undici's own headers/body timers fire up to ~1 s late for short values, so our AbortSignal deadline is
 * the real one; undici's sit this far behind it only as a backstop.
 */
const UNDICI_BACKSTOP_MS = 60_000;

/** Create a client; call `close()` when the run ends so keep-alive sockets do not hold the process open. */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const connections = options.connections ?? DEFAULT_CONNECTIONS;
  if (!Number.isInteger(connections) || connections < 1) {
    throw new TypeError(`Expected \`connections\` to be an integer from 1 and up, got \`${connections}\``);
  }
  const defaultTimeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const secrets = options.secrets ?? [];
  const owned = options.dispatcher === undefined;
  const dispatcher =
    options.dispatcher ??
    new Agent({
      connections,
      keepAliveTimeout: KEEP_ALIVE_MS,
      headersTimeout: defaultTimeoutMs + UNDICI_BACKSTOP_MS,
      bodyTimeout: defaultTimeoutMs + UNDICI_BACKSTOP_MS,
    });

  async function postJson(
    url: string,
    headers: Record<string, string>,
    body: unknown,
    postOptions: PostOptions = {},
  ): Promise<HttpResponse> {
    const raw = await exchange(dispatcher, {
      url: new URL(url),
      headers,
      payload: JSON.stringify(body),
      timeoutMs: postOptions.timeoutMs ?? defaultTimeoutMs,
      signal: postOptions.signal,
      secrets,
    });
    if (raw.status < 200 || raw.status > 299) {
      throw createApiError(raw.status, raw.headers, redactSecrets(raw.text, secrets));
    }
    return { status: raw.status, headers: raw.headers, body: parseJsonBody(raw.text, raw.status, secrets) };
  }

  return {
    postJson,
    async close() {
      if (owned) await dispatcher.close();
    },
  };
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

interface Exchange {
  url: URL;
  headers: Record<string, string>;
  payload: string;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  secrets: readonly string[];
}

/** Send and read the whole body under one deadline; translate every failure to a typed error. */
async function exchange(dispatcher: Dispatcher, { url, headers, payload, timeoutMs, signal, secrets }: Exchange): Promise<RawResponse> {
  if (signal?.aborted) throw createAbortError();
  const deadline = startDeadline(timeoutMs, signal);
  let okStatus: number | undefined;
  try {
    const response = await dispatcher.request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: payload,
      signal: deadline.signal,
      headersTimeout: timeoutMs + UNDICI_BACKSTOP_MS,
      bodyTimeout: timeoutMs + UNDICI_BACKSTOP_MS,
    });
    if (response.statusCode >= 200 && response.statusCode <= 299) okStatus = response.statusCode;
    // Headers arrived: from here the deadline is an idle timer, re-armed by every chunk, so a long answer
    // still streaming in is not cut off while a server that stalls still times out on time.
    deadline.restart('body');
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) {
      deadline.restart('body');
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    return { status: response.statusCode, headers: normaliseHeaders(response.headers), text };
  } catch (error) {
    throw translateFailure(error, { reason: deadline.reason(), phase: deadline.phase(), okStatus, timeoutMs, origin: url.origin, secrets });
  } finally {
    deadline.clear();
  }
}

interface Deadline {
  signal: AbortSignal;
  /** Why the request was aborted, if it was. */
  reason(): 'timeout' | 'abort' | undefined;
  /** Which phase the deadline timed out in. */
  phase(): 'headers' | 'body';
  /** Re-arms the full timeout for `phase` (headers arrived; a body chunk arrived). */
  restart(phase: 'body'): void;
  clear(): void;
}

/** One signal that fires on our deadline or when the caller aborts, remembering which. */
function startDeadline(timeoutMs: number, callerSignal: AbortSignal | undefined): Deadline {
  const controller = new AbortController();
  let reason: 'timeout' | 'abort' | undefined;
  let phase: 'headers' | 'body' = 'headers';
  const fire = (): void => {
    reason = 'timeout';
    controller.abort(new TimeoutError(timeoutMs, phase));
  };
  const timer = setTimeout(fire, timeoutMs);
  const onAbort = (): void => {
    reason = 'abort';
    controller.abort(createAbortError());
  };
  callerSignal?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    reason: () => reason,
    phase: () => phase,
    restart(next) {
      phase = next;
      // refresh() re-arms the same timer: no allocation per body chunk.
      timer.refresh();
    },
    clear() {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onAbort);
    },
  };
}

interface FailureContext {
  reason: 'timeout' | 'abort' | undefined;
  phase: 'headers' | 'body';
  /** Set once a 2xx status arrived: a failure after that is a truncated answer, not a failed request. */
  okStatus: number | undefined;
  timeoutMs: number;
  origin: string;
  secrets: readonly string[];
}

function translateFailure(error: unknown, context: FailureContext): Error {
  const { origin, okStatus } = context;
  if (context.reason === 'timeout') return new TimeoutError(context.timeoutMs, context.phase);
  if (context.reason === 'abort') return createAbortError();
  const message = redactSecrets(error instanceof Error ? error.message : String(error), context.secrets);
  const code = findNetworkCode(error) ?? codesOf(error).find((candidate) => candidate === TRUNCATED_BODY_CODE);
  if (okStatus !== undefined && code !== undefined) {
    return new MalformedResponseError(`HTTP ${okStatus} body from ${origin} was cut off (${code}): ${message}`, okStatus);
  }
  if (code === TRUNCATED_BODY_CODE) return new MalformedResponseError(`response body from ${origin} was cut off: ${message}`);
  if (code !== undefined) return new NetworkError(code, `${code} talking to ${origin}: ${message}`);
  // Not a transport failure (an invalid header, a bug): let it surface as-is, but never with the key in it.
  if (error instanceof Error) {
    error.message = message;
    if (error.stack !== undefined) error.stack = redactSecrets(error.stack, context.secrets);
    return error;
  }
  return new Error(message);
}

function parseJsonBody(text: string, status: number, secrets: readonly string[]): unknown {
  if (text.trim() === '') throw new MalformedResponseError(`HTTP ${status} with an empty body`, status);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const start = redactSecrets(text.slice(0, 80), secrets).replace(/\s+/g, ' ');
    throw new MalformedResponseError(`HTTP ${status} body is not complete JSON (${text.length} bytes, starts "${start}")`, status);
  }
}

function normaliseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}
