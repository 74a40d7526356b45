/**
 * Anthropic Message Batches: create (`POST {base}/v1/messages/batches` with every request inline), poll
 * (`GET …/{id}`), stream `results_url`, cancel (`POST …/{id}/cancel`). The base URL has no `/v1`.
 */
import { anthropicWire } from '../anthropic-wire.js';
import { jsonArrayBody } from './body-source.js';
import { encodeAnthropicBatchRequest, readAnthropicBatch, readAnthropicResultLine } from './anthropic-batch-shapes.js';
import { callWithRetry } from './retry-call.js';
import type { BatchClient, BatchLimits, BatchSnapshot, HttpBatchClientOptions } from './types.js';

/**
 * Anthropic's limits are 100,000 requests and 256 MB per batch; bytes are counted in decimal megabytes,
 * which leaves room for the `{"requests":[…]}` framing.
 */
export const ANTHROPIC_BATCH_LIMITS: Readonly<BatchLimits> = { maxRequests: 100_000, maxBytes: 256_000_000 };

/** `baseUrl` has no `/v1`. */
export function createAnthropicBatchClient(options: HttpBatchClientOptions): BatchClient {
  const { baseUrl, http, retry, uploadTimeoutMs } = options;
  const { 'content-type': _json, ...headers } = anthropicWire.headers(options.apiKey);
  const batchUrl = (batchId: string) => `${baseUrl}/v1/messages/batches/${encodeURIComponent(batchId)}`;

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
      const create = async () => readAnthropicBatch((await http.upload(`${baseUrl}/v1/messages/batches`, headers, body, { signal, timeoutMs: uploadTimeoutMs })).body);
      const snapshot = await callWithRetry('create the message batch', create, retry, signal);
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
