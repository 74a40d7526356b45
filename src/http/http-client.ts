/**
 * The one HTTP client: realtime requests and Batch API control calls (JSON GET/POST, large uploads,
 * streamed JSONL downloads) all go through it. An undici `Agent` with keep-alive pools sized to the run's
 * concurrency (global `fetch` opens more connections and costs more per request), our own deadline, and every
 * failure turned into one of the errors in `./errors.ts`, with the key redacted. No retries here: the retry
 * loop is `retry/retry-loop.ts`.
 */
import type { Readable } from 'node:stream';
import { Agent, type Dispatcher } from 'undici';
import {
  createAbortError,
  createApiError,
  MalformedResponseError,
  NetworkError,
  TimeoutError,
} from './errors.js';
import { AbortFanout } from './abort-fanout.js';
import { findNetworkCode, TRUNCATED_BODY_CODE, codesOf } from './network-codes.js';
import { redactSecrets } from './redact.js';
import { splitLines } from './split-lines.js';

export interface HttpClientOptions {
  /**
   * Most open connections per origin; size it to the run's concurrency so no request waits for a socket.
   * @default 16
   */
  connections?: number;
  /** Deadline per request, in ms, when a call is not given one. @default 120000 */
  timeoutMs?: number;
  /** Values scrubbed from every error message, error body and stack (the API key). @default [] */
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
   * answer still streaming in is never cut off, one that stops sending is. For `lines`, the longest
   * silence while the download streams. @default the client's `timeoutMs`
   */
  timeoutMs?: number;
}

/** A 2xx response with its body parsed as JSON. Header names are lowercase. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** A body sent as a stream with a known length (a batch upload of up to 200 MB), re-readable per attempt. */
export interface StreamBody {
  contentType: string;
  /** Exact byte length. */
  length: number;
  /** A fresh stream of the body. */
  open(): Readable;
}

export interface HttpClient {
  /** POST `body` as JSON to the absolute `url`; resolve on 2xx, reject with a typed error otherwise. */
  postJson(url: string, headers: Record<string, string>, body: unknown, options?: PostOptions): Promise<HttpResponse>;
  /** A JSON exchange without a body (GET, or a POST such as a cancel). */
  send(method: 'GET' | 'POST', url: string, headers: Record<string, string>, options?: PostOptions): Promise<HttpResponse>;
  /** POST a large streamed body; resolve with the parsed 2xx JSON answer. */
  upload(url: string, headers: Record<string, string>, body: StreamBody, options?: PostOptions): Promise<HttpResponse>;
  /** GET a JSONL document and yield its non-blank lines as they arrive (no overall deadline). */
  lines(url: string, headers: Record<string, string>, options?: PostOptions): AsyncGenerator<string>;
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
  // No agent-wide timers: every request sets its own (an upload's deadline is far longer than a poll's).
  const dispatcher = options.dispatcher ?? new Agent({ connections, keepAliveTimeout: KEEP_ALIVE_MS });

  const fanout = new AbortFanout();
  // Parsed once per address: a run posts every request to the same one.
  let lastUrl: { text: string; url: URL } | undefined;
  const parseUrl = (text: string): URL => {
    if (lastUrl?.text !== text) lastUrl = { text, url: new URL(text) };
    return lastUrl.url;
  };

  async function jsonExchange(outgoing: Outgoing, callOptions: PostOptions): Promise<HttpResponse> {
    const deadline = startDeadline(callOptions.timeoutMs ?? defaultTimeoutMs, callOptions.signal, fanout);
    const raw = await exchange(dispatcher, outgoing, deadline, secrets);
    if (raw.status < 200 || raw.status > 299) throw apiError(raw, secrets);
    return { status: raw.status, headers: raw.headers, body: parseJsonBody(raw.text, raw.status, secrets) };
  }

  return {
    postJson(url, headers, body, callOptions = {}) {
      const sent = { ...headers, 'content-type': 'application/json' };
      return jsonExchange({ method: 'POST', url: parseUrl(url), headers: sent, body: JSON.stringify(body) }, callOptions);
    },
    send(method, url, headers, callOptions = {}) {
      return jsonExchange({ method, url: parseUrl(url), headers, body: undefined }, callOptions);
    },
    upload(url, headers, body, callOptions = {}) {
      const sent = { ...headers, 'content-type': body.contentType, 'content-length': String(body.length) };
      return jsonExchange({ method: 'POST', url: parseUrl(url), headers: sent, body: body.open() }, callOptions);
    },
    lines(url, headers, callOptions = {}) {
      return streamLines(dispatcher, new URL(url), headers, callOptions.timeoutMs ?? defaultTimeoutMs, callOptions.signal, secrets);
    },
    async close() {
      if (owned) await dispatcher.close();
    },
  };
}

interface Outgoing {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body: string | Readable | undefined;
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** Send and read the whole body under one deadline; translate every failure to a typed error. */
async function exchange(dispatcher: Dispatcher, { method, url, headers, body }: Outgoing, deadline: Deadline, secrets: readonly string[]): Promise<RawResponse> {
  const { timeoutMs } = deadline;
  if (deadline.signal.aborted) {
    deadline.clear();
    throw createAbortError();
  }
  let okStatus: number | undefined;
  try {
    const response = await dispatcher.request({
      origin: url.origin,
      path: url.pathname + url.search,
      method,
      headers,
      body,
      signal: deadline.signal,
      headersTimeout: timeoutMs + UNDICI_BACKSTOP_MS,
      bodyTimeout: timeoutMs + UNDICI_BACKSTOP_MS,
    });
    if (response.statusCode >= 200 && response.statusCode <= 299) okStatus = response.statusCode;
    // Headers arrived: from here the deadline is an idle timer, re-armed by every chunk, so a long answer
    // still streaming in is not cut off while a server that stalls still times out on time.
    deadline.restart('body');
    const text = await readText(response.body, () => deadline.restart('body'));
    return { status: response.statusCode, headers: normaliseHeaders(response.headers), text };
  } catch (error) {
    throw translateFailure(error, { reason: deadline.reason(), phase: deadline.phase(), okStatus, timeoutMs, origin: url.origin, secrets });
  } finally {
    deadline.clear();
  }
}

/**
 * The whole body as text, calling `onChunk` as each chunk arrives. Listeners rather than `for await`: the
 * async iterator cost ~10 µs per response (issue 13, row b profile), and every answer passes here before its
 * slot is refilled. A body that closes before its end (destroyed without an error) is a premature close, as
 * the iterator would report it.
 */
function readText(body: Readable, onChunk: () => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let ended = false;
    body.on('data', (chunk: Buffer) => {
      onChunk();
      chunks.push(chunk);
    });
    body.once('end', () => {
      ended = true;
      resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    });
    body.on('error', reject);
    body.once('close', () => {
      if (!ended) reject(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    });
  });
}

/**
 * A download that may take as long as it takes (a 200 MB result file): no overall deadline; undici's idle
 * timers, set to `idleMs`, catch a stall, and the caller's signal stops it.
 */
async function* streamLines(
  dispatcher: Dispatcher,
  url: URL,
  headers: Record<string, string>,
  idleMs: number,
  signal: AbortSignal | undefined,
  secrets: readonly string[],
): AsyncGenerator<string> {
  if (signal?.aborted) throw createAbortError();
  let okStatus: number | undefined;
  let refused: RawResponse | undefined;
  try {
    const response = await dispatcher.request({
      method: 'GET',
      origin: url.origin,
      path: url.pathname + url.search,
      headers,
      signal,
      headersTimeout: idleMs,
      bodyTimeout: idleMs,
    });
    if (response.statusCode >= 200 && response.statusCode <= 299) {
      okStatus = response.statusCode;
      yield* splitLines(response.body);
    } else {
      refused = { status: response.statusCode, headers: normaliseHeaders(response.headers), text: await response.body.text() };
    }
  } catch (error) {
    throw translateFailure(error, { reason: signal?.aborted ? 'abort' : undefined, okStatus, timeoutMs: idleMs, origin: url.origin, secrets });
  }
  if (refused !== undefined) throw apiError(refused, secrets);
}

function apiError(raw: RawResponse, secrets: readonly string[]): Error {
  return createApiError(raw.status, raw.headers, redactSecrets(raw.text, secrets));
}

interface Deadline {
  signal: AbortSignal;
  timeoutMs: number;
  /** Why the request was aborted, if it was. */
  reason(): 'timeout' | 'abort' | undefined;
  /** Which phase the deadline timed out in. */
  phase(): 'headers' | 'body';
  /** Re-arms the full timeout for `phase` (headers arrived; a body chunk arrived). */
  restart(phase: 'body'): void;
  clear(): void;
}

/**
 * One signal that fires on our deadline or when the caller aborts, remembering which. The caller's (run-long)
 * signal is watched through `fanout`, which drops this call when it ends.
 */
function startDeadline(timeoutMs: number, callerSignal: AbortSignal | undefined, fanout: AbortFanout): Deadline {
  const controller = new AbortController();
  let reason: 'timeout' | 'abort' | undefined;
  let phase: 'headers' | 'body' = 'headers';
  const timer = setTimeout(() => {
    reason = 'timeout';
    controller.abort(new TimeoutError(timeoutMs, phase));
  }, timeoutMs);
  const onAbort = (): void => {
    reason = 'abort';
    controller.abort(createAbortError());
  };
  if (callerSignal?.aborted) onAbort();
  const unsubscribe = callerSignal === undefined || callerSignal.aborted ? undefined : fanout.subscribe(callerSignal, onAbort);
  return {
    signal: controller.signal,
    timeoutMs,
    reason: () => reason,
    phase: () => phase,
    restart(next) {
      phase = next;
      // refresh() re-arms the same timer: no allocation per body chunk.
      timer.refresh();
    },
    clear() {
      clearTimeout(timer);
      unsubscribe?.();
    },
  };
}

interface FailureContext {
  reason: 'timeout' | 'abort' | undefined;
  /** Which phase a timeout hit (`headers` when the failure is not a timeout of ours). */
  phase?: 'headers' | 'body';
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
  // `for…in` over undici's plain object: no [name, value] pair allocated per header of every answer.
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}
