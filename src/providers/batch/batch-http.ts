/**
 * HTTP for the Batch APIs: JSON GET/POST, large uploads and streamed JSONL downloads, which the realtime
 * client (`http/http-client.ts`, JSON POST only) does not do. Failures become the same typed errors
 * (`http/errors.ts`), so the one retry policy classifies them. No retries here.
 */
import { StringDecoder } from 'node:string_decoder';
import { Agent, type Dispatcher } from 'undici';
import {
  createAbortError,
  createApiError,
  MalformedResponseError,
  NetworkError,
  TimeoutError,
} from '../../http/errors.js';
import { codesOf, findNetworkCode, TRUNCATED_BODY_CODE } from '../../http/network-codes.js';
import { redactSecrets } from '../../http/redact.js';
import type { BodySource } from './body-source.js';

export interface BatchHttpOptions {
  /** Deadline of a JSON exchange, ms; also the longest silence while a download streams. */
  timeoutMs: number;
  /** Deadline of an upload, which may carry 200 MB. @default the larger of `timeoutMs` and 10 minutes */
  uploadTimeoutMs?: number;
  /** Values scrubbed from every error (the API key). */
  secrets: readonly string[];
  /** Send through this dispatcher (tests); it is not closed by `close()`. @default a keep-alive Agent */
  dispatcher?: Dispatcher;
}

export interface BatchHttp {
  /** A JSON exchange; resolves with the parsed 2xx body. `body` undefined sends none. */
  json(method: 'GET' | 'POST', url: string, headers: Record<string, string>, body: unknown, signal: AbortSignal): Promise<unknown>;
  /** POST a large body; resolves with the parsed 2xx JSON answer. */
  upload(url: string, headers: Record<string, string>, body: BodySource, signal: AbortSignal): Promise<unknown>;
  /** GET a JSONL document and yield its non-blank lines as they arrive. */
  lines(url: string, headers: Record<string, string>, signal: AbortSignal): AsyncGenerator<string>;
  close(): Promise<void>;
}

const MIN_UPLOAD_TIMEOUT_MS = 10 * 60_000;
/** A few connections: control calls are sequential, downloads at most one per ended batch. */
const CONNECTIONS = 4;

export function createBatchHttp(options: BatchHttpOptions): BatchHttp {
  const { timeoutMs, secrets } = options;
  const uploadTimeoutMs = options.uploadTimeoutMs ?? Math.max(timeoutMs, MIN_UPLOAD_TIMEOUT_MS);
  const owned = options.dispatcher === undefined;
  const dispatcher = options.dispatcher ?? new Agent({ connections: CONNECTIONS, headersTimeout: uploadTimeoutMs, bodyTimeout: uploadTimeoutMs });

  async function exchange(request: Omit<Dispatcher.RequestOptions, 'origin' | 'path'>, url: string, deadlineMs: number, signal: AbortSignal): Promise<unknown> {
    if (signal.aborted) throw createAbortError();
    const target = new URL(url);
    const deadline = startDeadline(deadlineMs, signal);
    let okStatus: number | undefined;
    try {
      const response = await dispatcher.request({
        ...request,
        origin: target.origin,
        path: target.pathname + target.search,
        signal: deadline.signal,
        headersTimeout: deadlineMs,
        bodyTimeout: deadlineMs,
      });
      if (response.statusCode >= 200 && response.statusCode <= 299) okStatus = response.statusCode;
      const text = await response.body.text();
      if (okStatus === undefined) {
        throw createApiError(response.statusCode, flattenHeaders(response.headers), redactSecrets(text, secrets));
      }
      return parseJson(text, okStatus, secrets);
    } catch (error) {
      if (deadline.timedOut()) throw new TimeoutError(deadlineMs);
      if (signal.aborted) throw createAbortError();
      throw translateFailure(error, target.origin, okStatus, secrets);
    } finally {
      deadline.clear();
    }
  }

  return {
    json(method, url, headers, body, signal) {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const sent = payload === undefined ? headers : { ...headers, 'content-type': 'application/json' };
      return exchange({ method, headers: sent, body: payload }, url, timeoutMs, signal);
    },
    upload(url, headers, body, signal) {
      const sent = { ...headers, 'content-type': body.contentType, 'content-length': String(body.length) };
      return exchange({ method: 'POST', headers: sent, body: body.open() }, url, uploadTimeoutMs, signal);
    },
    async *lines(url, headers, signal) {
      if (signal.aborted) throw createAbortError();
      const target = new URL(url);
      let okStatus: number | undefined;
      try {
        // No overall deadline: a 200 MB result file takes as long as it takes; undici's idle timers catch a stall.
        const response = await dispatcher.request({
          method: 'GET',
          origin: target.origin,
          path: target.pathname + target.search,
          headers,
          signal,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        if (response.statusCode < 200 || response.statusCode > 299) {
          const text = await response.body.text();
          throw createApiError(response.statusCode, flattenHeaders(response.headers), redactSecrets(text, secrets));
        }
        okStatus = response.statusCode;
        yield* splitLines(response.body);
      } catch (error) {
        if (signal.aborted) throw createAbortError();
        throw translateFailure(error, target.origin, okStatus, secrets);
      }
    },
    async close() {
      if (owned) await dispatcher.close();
    },
  };
}

/**
 * One signal for our deadline and the caller's abort, as `http-client.ts` builds it: the listener on the
 * run-long caller signal is removed after every call, so a day of polling leaves nothing attached to it.
 */
function startDeadline(ms: number, callerSignal: AbortSignal): { signal: AbortSignal; timedOut(): boolean; clear(): void } {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new TimeoutError(ms));
  }, ms);
  const onAbort = (): void => controller.abort(createAbortError());
  callerSignal.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    clear() {
      clearTimeout(timer);
      callerSignal.removeEventListener('abort', onAbort);
    },
  };
}

/** Yield the non-blank lines of a byte stream, decoding UTF-8 across chunk boundaries. */
export async function* splitLines(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of chunks) {
    rest += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    for (let newline = rest.indexOf('\n'); newline !== -1; newline = rest.indexOf('\n', start)) {
      const line = rest.slice(start, newline);
      start = newline + 1;
      if (line.trim() !== '') yield line;
    }
    rest = rest.slice(start);
  }
  rest += decoder.end();
  if (rest.trim() !== '') yield rest;
}

/** Typed errors pass through; transport failures are classified by their code, never their text. */
function translateFailure(error: unknown, origin: string, okStatus: number | undefined, secrets: readonly string[]): unknown {
  if (error instanceof Error && ['ApiError', 'MalformedResponseError', 'TimeoutError', 'NetworkError'].includes(error.name)) return error;
  const message = redactSecrets(error instanceof Error ? error.message : String(error), secrets);
  const code = findNetworkCode(error) ?? codesOf(error).find((candidate) => candidate === TRUNCATED_BODY_CODE);
  if (code !== undefined && (okStatus !== undefined || code === TRUNCATED_BODY_CODE)) {
    return new MalformedResponseError(`response body from ${origin} was cut off (${code}): ${message}`, okStatus);
  }
  if (code !== undefined) return new NetworkError(code, `${code} talking to ${origin}: ${message}`);
  if (error instanceof Error) {
    error.message = message;
    return error;
  }
  return new Error(message);
}

function parseJson(text: string, status: number, secrets: readonly string[]): unknown {
  if (text.trim() === '') throw new MalformedResponseError(`HTTP ${status} with an empty body`, status);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const start = redactSecrets(text.slice(0, 80), secrets).replace(/\s+/g, ' ');
    throw new MalformedResponseError(`HTTP ${status} body is not JSON (starts "${start}")`, status);
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}
