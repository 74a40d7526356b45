/**
 * Anthropic Message Batches: create (`POST {base}/v1/messages/batches` with every request inline), poll
 * (`GET …/{id}`), stream `results_url`, cancel (`POST …/{id}/cancel`). The base URL has no `/v1`.
 */
import { anthropicWire } from '../anthropic-wire.js';
import { isRecord } from '../wire-helpers.js';
import { jsonArrayBody } from './body-source.js';
import { encodeAnthropicBatchRequest, readAnthropicBatch, readAnthropicResultLine } from './anthropic-batch-shapes.js';
import { callWithRetry } from './retry-call.js';
import type { BatchClient, BatchLimits, BatchSnapshot, HttpBatchClientOptions } from './types.js';

/**
 * Anthropic's limits are 100,000 requests and 256 MB per batch; bytes are counted in decimal megabytes,
 * which leaves room for the `{"requests":[…]}` framing.
 */
export const ANTHROPIC_BATCH_LIMITS: Readonly<BatchLimits> = { maxRequests: 100_000, maxBytes: 256_000_000 };

/** Batches per page when looking for one whose create answer was lost (the API allows 1–1000, newest first). */
const RECOVERY_PAGE_LIMIT = 100;
/** A batch created this long before our first create attempt is not ours: host and provider clocks differ. */
const RECOVERY_CLOCK_SLACK_MS = 60_000;

/** `baseUrl` has no `/v1`. */
export function createAnthropicBatchClient(options: HttpBatchClientOptions): BatchClient {
  const { baseUrl, http, retry, uploadTimeoutMs } = options;
  const { 'content-type': _json, ...headers } = anthropicWire.headers(options.apiKey);
  const batchUrl = (batchId: string) => `${baseUrl}/v1/messages/batches/${encodeURIComponent(batchId)}`;
  const now = retry.now ?? Date.now;
  /** Batches this client created or found: never taken for another create's lost answer. */
  const known = new Set<string>();

  /**
   * A create whose answer was lost (reset, timeout, 5xx after the request was sent) may have worked, and
   * creating again would pay for every request twice. Anthropic lists batches newest first: ours was
   * created after our first attempt (less clock slack), holds exactly our request count, and, once ended,
   * exactly our custom ids.
   */
  async function findLostBatch(customIds: ReadonlySet<string>, since: number, signal: AbortSignal): Promise<BatchSnapshot | undefined> {
    for await (const candidate of batchesCreatedSince(since - RECOVERY_CLOCK_SLACK_MS, signal)) {
      const snapshot = readAnthropicBatch(candidate);
      if (known.has(snapshot.id) || snapshot.counts.total !== customIds.size) continue;
      if (snapshot.status === 'ended' && !(await holdsExactly(snapshot, customIds, signal))) continue;
      return snapshot;
    }
    return undefined;
  }

  /**
   * The workspace's batches created at or after `earliest`, newest first. The list is paged (`has_more`,
   * `last_id` as the next page's `after_id`, as the SDK's `Page` does): a busy workspace may have made
   * many batches since our create, so paging goes on until a batch is older than `earliest`, the list
   * ends, or a cursor repeats (a provider that does not honour `after_id` would otherwise loop forever).
   */
  async function* batchesCreatedSince(earliest: number, signal: AbortSignal): AsyncGenerator<Record<string, unknown>> {
    const cursors = new Set<string>();
    let afterId: string | undefined;
    for (;;) {
      const query = `limit=${RECOVERY_PAGE_LIMIT}${afterId === undefined ? '' : `&after_id=${encodeURIComponent(afterId)}`}`;
      const page = (await http.send('GET', `${baseUrl}/v1/messages/batches?${query}`, headers, { signal })).body;
      const batches = isRecord(page) && Array.isArray(page.data) ? page.data.filter(isRecord) : [];
      for (const candidate of batches) {
        const created = typeof candidate.created_at === 'string' ? Date.parse(candidate.created_at) : Number.NaN;
        if (Number.isNaN(created)) continue;
        if (created < earliest) return; // newest first: every later batch is older still
        yield candidate;
      }
      const lastId = isRecord(page) && typeof page.last_id === 'string' ? page.last_id : undefined;
      if (!isRecord(page) || page.has_more !== true || lastId === undefined || cursors.has(lastId)) return;
      cursors.add(lastId);
      afterId = lastId;
    }
  }

  async function holdsExactly(snapshot: BatchSnapshot, customIds: ReadonlySet<string>, signal: AbortSignal): Promise<boolean> {
    let seen = 0;
    for await (const line of http.lines(resultsUrl(snapshot), headers, { signal })) {
      const outcome = readAnthropicResultLine(line);
      if (outcome === undefined) continue;
      if (!customIds.has(outcome.customId)) return false;
      seen += 1;
    }
    return seen === customIds.size;
  }

  /**
   * The key goes only to the configured base URL (SPEC §14): a `results_url` on another origin (a gateway
   * answering with the vendor's URL) is replaced by the same path on ours.
   */
  function resultsUrl(snapshot: BatchSnapshot): string {
    const given = snapshot.resultRefs[0];
    const fallback = `${batchUrl(snapshot.id)}/results`;
    if (given === undefined || !URL.canParse(given)) return fallback;
    return new URL(given).origin === new URL(baseUrl).origin ? given : fallback;
  }

  return {
    provider: 'anthropic',
    limits: { ...ANTHROPIC_BATCH_LIMITS, ...options.limits },
    encodeRequest: encodeAnthropicBatchRequest,

    async submit(encoded, { signal, onStep }) {
      // The requests travel inside the create call: there is no separate upload step.
      onStep('submitting');
      const body = jsonArrayBody('requests', encoded);
      const since = now();
      const create = async () => readAnthropicBatch((await http.upload(`${baseUrl}/v1/messages/batches`, headers, body, { signal, timeoutMs: uploadTimeoutMs })).body);
      const recover = () => findLostBatch(customIdsOf(encoded), since, signal);
      const snapshot = await callWithRetry('create the message batch', create, retry, signal, recover);
      known.add(snapshot.id);
      return { id: snapshot.id, status: snapshot.status };
    },

    poll(batchId, signal) {
      const get = async () => readAnthropicBatch((await http.send('GET', batchUrl(batchId), headers, { signal })).body);
      return callWithRetry(`poll batch ${batchId}`, get, retry, signal);
    },

    async *results(snapshot, signal) {
      for await (const line of http.lines(resultsUrl(snapshot), headers, { signal })) {
        const outcome = readAnthropicResultLine(line);
        if (outcome !== undefined) yield outcome;
      }
    },

    cancel(batchId, signal) {
      const post = async () => readAnthropicBatch((await http.send('POST', `${batchUrl(batchId)}/cancel`, headers, { signal })).body);
      return callWithRetry(`cancel batch ${batchId}`, post, retry, signal);
    },

    close: () => http.close(),
  };
}

/** The custom ids of encoded requests (each a JSON object with `custom_id`). */
function customIdsOf(encoded: readonly string[]): Set<string> {
  const ids = new Set<string>();
  for (const line of encoded) {
    const request: unknown = JSON.parse(line);
    if (isRecord(request) && typeof request.custom_id === 'string') ids.add(request.custom_id);
  }
  return ids;
}
