/**
 * The OpenAI Files and Batch endpoints: `POST /v1/files` (multipart, purpose `batch`), `GET /v1/files/{id}`
 * and `/content`, `POST|GET /v1/batches`, `GET /v1/batches/{id}`, `POST /v1/batches/{id}/cancel`.
 * Output and error files are written when a batch ends, with the shapes of the real ones.
 */
import { executeBatchRequest } from './batch-execute.js';
import { parseMultipart } from './batch-multipart.js';
import { MockBatchStore, toUnixSeconds, type StoredBatch, type StoredRequest } from './batch-store.js';
import { isRecord, type ApiErrorSpec, type Dialect } from './dialect.js';
import type { Exchange } from './exchange.js';
import { openaiDialect } from './openai-dialect.js';
import { responsesDialect } from './responses-dialect.js';
import type { Route } from './router.js';
import type { MockState } from './state.js';

/** The endpoints a batch may target, each answered in its own dialect (Azure names them without `/v1`). */
const ENDPOINTS: Readonly<Record<string, Dialect>> = {
  '/v1/chat/completions': openaiDialect,
  '/v1/responses': responsesDialect,
  '/chat/completions': openaiDialect,
  '/responses': responsesDialect,
};
const MAX_REQUESTS = 50_000;
const EXPIRED_MESSAGE = 'This request could not be executed before the completion window expired.';

export function openaiBatchRoutes(state: MockState, store: MockBatchStore): Route[] {
  const fail = (ex: Exchange, spec: ApiErrorSpec): void => {
    const requestId = state.ids.next('req_');
    const error = openaiDialect.error(spec, requestId);
    ex.send(error.status, { 'x-request-id': requestId }, error.body, error.contentType);
  };
  /** Every route authenticates first, as the real API does. */
  const authed = (handler: (ex: Exchange, params: readonly string[]) => void) => (ex: Exchange, params: readonly string[]) => {
    const authError = openaiDialect.authenticate(ex.req, state.behaviour.apiKey);
    return authError ? fail(ex, authError) : handler(ex, params);
  };
  const findBatch = (ex: Exchange, id: string): StoredBatch | undefined => {
    const batch = store.batches.get(decodeURIComponent(id));
    if (batch?.dialect === 'openai') {
      store.advance(batch, Date.now(), (ended) => writeResultFiles(store, ended));
      return batch;
    }
    fail(ex, { kind: 'not_found', message: `No batch found with id '${id}'.` });
    return undefined;
  };

  return [
    {
      method: 'POST',
      path: '/v1/files',
      handler: authed((ex) => {
        const parts = parseMultipart(ex.req.headers['content-type'], ex.body);
        if (typeof parts === 'string') return fail(ex, { kind: 'invalid_request', message: parts });
        const purpose = parts.find((part) => part.name === 'purpose')?.value;
        const file = parts.find((part) => part.name === 'file' && part.filename !== undefined);
        if (purpose === undefined || file === undefined) {
          return fail(ex, { kind: 'invalid_request', message: "Missing required parameter: 'file' and 'purpose' are required.", param: purpose ? 'file' : 'purpose' });
        }
        const stored = { id: state.ids.next('file-'), filename: file.filename ?? 'upload', purpose, content: file.value, createdAt: toUnixSeconds(Date.now()) ?? 0 };
        store.files.set(stored.id, stored);
        ex.sendJson(200, fileObject(stored));
      }),
    },
    {
      method: 'GET',
      path: /^\/v1\/files\/([^/]+)$/,
      handler: authed((ex, [id]) => {
        const file = store.files.get(decodeURIComponent(id));
        return file ? ex.sendJson(200, fileObject(file)) : fail(ex, { kind: 'not_found', message: `No such File object: ${id}` });
      }),
    },
    {
      method: 'GET',
      path: /^\/v1\/files\/([^/]+)\/content$/,
      handler: authed((ex, [id]) => {
        const file = store.files.get(decodeURIComponent(id));
        if (!file) return fail(ex, { kind: 'not_found', message: `No such File object: ${id}` });
        ex.send(200, {}, file.content, 'application/octet-stream');
      }),
    },
    {
      method: 'POST',
      path: '/v1/batches',
      handler: authed((ex) => {
        const body = parseJson(ex.body);
        if (!isRecord(body)) return fail(ex, { kind: 'invalid_request', message: openaiDialect.malformedJsonMessage });
        const file = typeof body.input_file_id === 'string' ? store.files.get(body.input_file_id) : undefined;
        if (!file) return fail(ex, { kind: 'invalid_request', message: `Invalid 'input_file_id': '${String(body.input_file_id)}'.`, param: 'input_file_id' });
        if (file.purpose !== 'batch') return fail(ex, { kind: 'invalid_request', message: 'The input file must be uploaded with purpose `batch`.', param: 'input_file_id' });
        const endpoint = typeof body.endpoint === 'string' ? body.endpoint : '';
        const dialect = ENDPOINTS[endpoint];
        if (dialect === undefined) return fail(ex, { kind: 'invalid_request', message: `Invalid 'endpoint': this mock serves ${Object.keys(ENDPOINTS).join(', ')}.`, param: 'endpoint' });
        if (body.completion_window !== '24h') return fail(ex, { kind: 'invalid_request', message: "Invalid 'completion_window': only '24h' is supported.", param: 'completion_window' });
        const { requests, errors } = readInputFile(file.content, endpoint, (line) => executeBatchRequest(dialect, state, line, ex.req));
        const batch = store.create(
          { id: state.ids.next('batch_'), dialect: 'openai', endpoint, requests, inputFileId: file.id, ...(errors.length > 0 && { validationErrors: errors }) },
          Date.now(),
        );
        ex.sendJson(200, batchObject(store, batch, 'validating'));
      }),
    },
    {
      method: 'GET',
      path: '/v1/batches',
      handler: authed((ex) => {
        const now = Date.now();
        const data = [...store.batches.values()].filter((batch) => batch.dialect === 'openai').reverse().map((batch) => {
          store.advance(batch, now, (ended) => writeResultFiles(store, ended));
          return batchObject(store, batch);
        });
        ex.sendJson(200, { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: false });
      }),
    },
    {
      method: 'GET',
      path: /^\/v1\/batches\/([^/]+)$/,
      handler: authed((ex, [id]) => {
        const batch = findBatch(ex, id);
        if (batch) ex.sendJson(200, batchObject(store, batch));
      }),
    },
    {
      method: 'POST',
      path: /^\/v1\/batches\/([^/]+)\/cancel$/,
      handler: authed((ex, [id]) => {
        const batch = findBatch(ex, id);
        if (!batch) return;
        if (batch.endReason !== undefined) return ex.sendJson(200, batchObject(store, batch));
        batch.cancelRequestedAt ??= Date.now();
        ex.sendJson(200, batchObject(store, batch, 'cancelling'));
      }),
    },
  ];
}

/**
 * Validate an input file as OpenAI's `validating` step does, then answer every line. A bad file fails the
 * batch as a whole, and nothing in it is answered.
 */
function readInputFile(content: string, endpoint: string, execute: (body: unknown) => StoredRequest['result']) {
  const lines: Array<{ customId: string; body: unknown }> = [];
  const errors: NonNullable<StoredBatch['validationErrors']> = [];
  const seen = new Set<string>();
  for (const [index, text] of content.split('\n').entries()) {
    if (text.trim() === '') continue;
    const line = parseJson(text);
    const number = index + 1;
    if (!isRecord(line) || typeof line.custom_id !== 'string') {
      errors.push({ code: 'invalid_json_line', message: 'This line is not parseable as valid JSON or lacks custom_id.', line: number });
    } else if (seen.has(line.custom_id)) {
      errors.push({ code: 'duplicate_custom_id', message: `The custom_id '${line.custom_id}' is duplicated.`, line: number });
    } else if (line.method !== 'POST' || line.url !== endpoint) {
      errors.push({ code: 'invalid_url', message: `The url must be ${endpoint} with method POST, the batch's endpoint.`, line: number });
    } else {
      seen.add(line.custom_id);
      lines.push({ customId: line.custom_id, body: line.body });
    }
  }
  if (lines.length > MAX_REQUESTS) errors.push({ code: 'too_many_requests', message: `A batch may hold at most ${MAX_REQUESTS} requests.` });
  if (lines.length === 0 && errors.length === 0) errors.push({ code: 'empty_file', message: 'The input file is empty.' });
  const requests: StoredRequest[] = errors.length > 0 ? [] : lines.map(({ customId, body }) => ({ customId, result: execute(body) }));
  return { requests, errors };
}

/** When a batch ends: successes to the output file, failures (and expired requests) to the error file. */
function writeResultFiles(store: MockBatchStore, batch: StoredBatch): void {
  const output: string[] = [];
  const errors: string[] = [];
  let counter = 0;
  const lineId = () => `batch_req_${batch.id.slice(6)}_${(counter += 1)}`;
  if (batch.endReason === 'completed') {
    for (const { customId, result } of batch.requests) {
      const id = lineId();
      const response = { status_code: result.status, request_id: `req_${id}`, body: result.body };
      (result.status === 200 ? output : errors).push(JSON.stringify({ id, custom_id: customId, response, error: null }));
    }
  } else if (batch.endReason === 'expired') {
    for (const { customId } of batch.requests) {
      errors.push(JSON.stringify({ id: lineId(), custom_id: customId, response: null, error: { code: 'batch_expired', message: EXPIRED_MESSAGE } }));
    }
  }
  const now = toUnixSeconds(Date.now()) ?? 0;
  const save = (lines: string[], kind: string): string | undefined => {
    if (lines.length === 0) return undefined;
    const id = `file-${kind}-${batch.id}`;
    store.files.set(id, { id, filename: `${batch.id}_${kind}.jsonl`, purpose: `batch_${kind}`, content: `${lines.join('\n')}\n`, createdAt: now });
    return id;
  };
  batch.outputFileId = save(output, 'output');
  batch.errorFileId = save(errors, 'error');
}

const STATUS: Readonly<Record<string, string>> = { completed: 'completed', expired: 'expired', canceled: 'cancelled', failed: 'failed' };

function batchObject(store: MockBatchStore, batch: StoredBatch, override?: string): Record<string, unknown> {
  const now = Date.now();
  const ended = batch.endReason;
  const status = override ?? (ended ? STATUS[ended] : batch.cancelRequestedAt !== undefined ? 'cancelling' : 'in_progress');
  const total = batch.requests.length;
  const failedRequests = batch.requests.filter(({ result }) => result.status !== 200).length;
  const counts =
    ended === 'completed' ? { total, completed: total - failedRequests, failed: failedRequests }
    : ended === 'expired' ? { total, completed: 0, failed: total }
    : { total, completed: ended ? 0 : store.finishedCount(batch, now), failed: 0 };
  const at = (reason: string) => (ended === reason ? toUnixSeconds(batch.endedAt) : null);
  return {
    id: batch.id,
    object: 'batch',
    endpoint: batch.endpoint,
    errors: batch.validationErrors ? { object: 'list', data: batch.validationErrors.map((error) => ({ ...error, param: null })) } : null,
    input_file_id: batch.inputFileId,
    completion_window: '24h',
    status,
    output_file_id: batch.outputFileId ?? null,
    error_file_id: batch.errorFileId ?? null,
    created_at: toUnixSeconds(batch.createdAt),
    in_progress_at: toUnixSeconds(batch.createdAt),
    expires_at: toUnixSeconds(batch.createdAt + 24 * 3600 * 1000),
    finalizing_at: ended === 'completed' ? toUnixSeconds(batch.endedAt) : null,
    completed_at: at('completed'),
    failed_at: at('failed'),
    expired_at: at('expired'),
    cancelling_at: toUnixSeconds(batch.cancelRequestedAt),
    cancelled_at: at('canceled'),
    request_counts: counts,
    metadata: null,
  };
}

function fileObject(file: { id: string; filename: string; purpose: string; content: string; createdAt: number }): Record<string, unknown> {
  return { id: file.id, object: 'file', bytes: Buffer.byteLength(file.content), created_at: file.createdAt, filename: file.filename, purpose: file.purpose, status: 'processed' };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
