/**
 * Anthropic Message Batches: `POST /v1/messages/batches`, `GET /v1/messages/batches/{id}`,
 * `POST …/{id}/cancel` and the JSONL behind `results_url` (`GET …/{id}/results`), with the real shapes.
 */
import { executeBatchRequest } from './batch-execute.js';
import { MockBatchStore, toRfc3339, type StoredBatch } from './batch-store.js';
import { anthropicDialect } from './anthropic-dialect.js';
import { isRecord, type ApiErrorSpec } from './dialect.js';
import type { Exchange } from './exchange.js';
import type { Route } from './router.js';
import type { MockState } from './state.js';

const MAX_REQUESTS = 100_000;
const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const BATCH_PATH = '/v1/messages/batches';
/** The list's page size: the API's default and its bounds. */
const LIST_LIMIT = { default: 20, min: 1, max: 1000 } as const;

export function anthropicBatchRoutes(state: MockState, store: MockBatchStore): Route[] {
  const fail = (ex: Exchange, spec: ApiErrorSpec): void => {
    const requestId = state.ids.next('req_');
    const error = anthropicDialect.error(spec, requestId);
    ex.send(error.status, { 'request-id': requestId }, error.body, error.contentType);
  };
  const authed = (handler: (ex: Exchange, params: readonly string[]) => void) => (ex: Exchange, params: readonly string[]) => {
    const authError = anthropicDialect.authenticate(ex.req, state.behaviour.apiKey);
    if (authError) return fail(ex, authError);
    if (!ex.req.headers['anthropic-version']) return fail(ex, { kind: 'invalid_request', message: 'anthropic-version: header is required' });
    return handler(ex, params);
  };
  const findBatch = (ex: Exchange, id: string): StoredBatch | undefined => {
    const batch = store.batches.get(decodeURIComponent(id));
    if (batch?.dialect === 'anthropic') {
      store.advance(batch, Date.now(), () => undefined);
      return batch;
    }
    fail(ex, { kind: 'not_found', message: `message_batch ${id} not found` });
    return undefined;
  };
  /** Creates whose answer was dropped so far (`batchCreateAnswerDrops`). */
  let answersDropped = 0;
  /** `results_url` points back at this server, whichever address the client used. */
  const origin = (ex: Exchange) => `http://${ex.req.headers.host ?? '127.0.0.1'}`;

  return [
    {
      method: 'POST',
      path: BATCH_PATH,
      handler: authed((ex) => {
        const requests = readRequests(ex.body);
        if (typeof requests === 'string') return fail(ex, { kind: 'invalid_request', message: requests });
        const stored = requests.map(({ custom_id, params }) => ({
          customId: custom_id,
          result: executeBatchRequest(anthropicDialect, state, params, ex.req),
        }));
        const batch = store.create({ id: state.ids.next('msgbatch_'), dialect: 'anthropic', requests: stored }, Date.now());
        if (answersDropped < state.behaviour.batchCreateAnswerDrops) {
          answersDropped += 1;
          return ex.reset(); // created, and billed, but the client never hears of it
        }
        ex.sendJson(200, batchObject(store, batch, origin(ex)));
      }),
    },
    {
      method: 'GET',
      path: BATCH_PATH,
      handler: authed((ex) => {
        // Newest first and paged as the real list: `limit` (default 20, 1–1000), `after_id` for the page
        // after (older than) that batch, `before_id` for the page before (newer than) it.
        const now = Date.now();
        const all = [...store.batches.values()].filter((batch) => batch.dialect === 'anthropic').reverse();
        const query = new URL(ex.req.url ?? '/', 'http://mock').searchParams;
        const page = listPage(all, query);
        if (typeof page === 'string') return fail(ex, { kind: 'invalid_request', message: page });
        const data = page.batches.map((batch) => {
          store.advance(batch, now, () => undefined);
          return batchObject(store, batch, origin(ex));
        });
        ex.sendJson(200, { data, has_more: page.hasMore, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
      }),
    },
    {
      method: 'GET',
      path: /^\/v1\/messages\/batches\/([^/]+)$/,
      handler: authed((ex, [id]) => {
        const batch = findBatch(ex, id);
        if (batch) ex.sendJson(200, batchObject(store, batch, origin(ex)));
      }),
    },
    {
      method: 'POST',
      path: /^\/v1\/messages\/batches\/([^/]+)\/cancel$/,
      handler: authed((ex, [id]) => {
        const batch = findBatch(ex, id);
        if (!batch) return;
        if (batch.endReason === undefined) batch.cancelRequestedAt ??= Date.now();
        ex.sendJson(200, batchObject(store, batch, origin(ex)));
      }),
    },
    {
      method: 'GET',
      path: /^\/v1\/messages\/batches\/([^/]+)\/results$/,
      handler: authed((ex, [id]) => {
        const batch = findBatch(ex, id);
        if (!batch) return;
        if (batch.endReason === undefined) {
          return fail(ex, { kind: 'invalid_request', message: `Message Batch ${batch.id} has not ended; results are not available yet.` });
        }
        const lines = batch.requests.map(({ customId, result }) => JSON.stringify({ custom_id: customId, result: resultOf(batch, result) }));
        ex.send(200, {}, lines.length === 0 ? '' : `${lines.join('\n')}\n`, 'application/x-jsonl');
      }),
    },
  ];
}

/** The create body's requests, or the 400 message the real API gives. */
function readRequests(text: string): Array<{ custom_id: string; params: unknown }> | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return anthropicDialect.malformedJsonMessage;
  }
  if (!isRecord(body) || !Array.isArray(body.requests)) return 'requests: Field required';
  if (body.requests.length === 0) return 'requests: List should have at least 1 item';
  if (body.requests.length > MAX_REQUESTS) return `requests: List should have at most ${MAX_REQUESTS} items`;
  const seen = new Set<string>();
  const requests: Array<{ custom_id: string; params: unknown }> = [];
  for (const [index, request] of body.requests.entries()) {
    if (!isRecord(request) || typeof request.custom_id !== 'string' || !CUSTOM_ID.test(request.custom_id)) {
      return `requests.${index}.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`;
    }
    if (seen.has(request.custom_id)) return `Duplicate custom_id: ${request.custom_id}. Each custom_id must be unique within a batch.`;
    seen.add(request.custom_id);
    requests.push({ custom_id: request.custom_id, params: request.params });
  }
  return requests;
}

function resultOf(batch: StoredBatch, result: StoredBatch['requests'][number]['result']): Record<string, unknown> {
  if (batch.endReason === 'expired') return { type: 'expired' };
  if (batch.endReason === 'canceled') return { type: 'canceled' };
  if (result.status === 200) return { type: 'succeeded', message: result.body };
  return { type: 'errored', error: result.body };
}

function batchObject(store: MockBatchStore, batch: StoredBatch, origin: string): Record<string, unknown> {
  const total = batch.requests.length;
  const ended = batch.endReason !== undefined;
  const errored = batch.endReason === 'completed' ? batch.requests.filter(({ result }) => result.status !== 200).length : 0;
  const counts = {
    processing: ended ? 0 : total,
    succeeded: batch.endReason === 'completed' ? total - errored : 0,
    errored,
    canceled: batch.endReason === 'canceled' ? total : 0,
    expired: batch.endReason === 'expired' ? total : 0,
  };
  if (!ended) {
    // Progress shows as requests leaving `processing` for `succeeded` while the batch runs.
    const done = store.finishedCount(batch, Date.now());
    counts.processing = total - done;
    counts.succeeded = done;
  }
  return {
    id: batch.id,
    type: 'message_batch',
    processing_status: ended ? 'ended' : batch.cancelRequestedAt !== undefined ? 'canceling' : 'in_progress',
    request_counts: counts,
    ended_at: toRfc3339(batch.endedAt),
    created_at: toRfc3339(batch.createdAt),
    expires_at: toRfc3339(batch.createdAt + 24 * 3600 * 1000),
    archived_at: null,
    cancel_initiated_at: toRfc3339(batch.cancelRequestedAt),
    results_url: ended ? `${origin}${BATCH_PATH}/${batch.id}/results` : null,
  };
}

/** One page of the list (`all` newest first), or the API's complaint about the query. */
function listPage(all: StoredBatch[], query: URLSearchParams): { batches: StoredBatch[]; hasMore: boolean } | string {
  const limitText = query.get('limit');
  const limit = limitText === null ? LIST_LIMIT.default : Number(limitText);
  if (!Number.isInteger(limit) || limit < LIST_LIMIT.min || limit > LIST_LIMIT.max) {
    return `limit: Input should be between ${LIST_LIMIT.min} and ${LIST_LIMIT.max}`;
  }
  const afterId = query.get('after_id');
  const beforeId = query.get('before_id');
  if (beforeId !== null) {
    const end = all.findIndex((batch) => batch.id === beforeId);
    const start = Math.max(0, end - limit);
    return end < 0 ? { batches: [], hasMore: false } : { batches: all.slice(start, end), hasMore: start > 0 };
  }
  const start = afterId === null ? 0 : all.findIndex((batch) => batch.id === afterId) + 1;
  if (afterId !== null && start === 0) return { batches: [], hasMore: false };
  return { batches: all.slice(start, start + limit), hasMore: start + limit < all.length };
}
