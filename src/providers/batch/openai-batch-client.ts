/**
 * OpenAI Batch API: upload the JSONL (`POST {base}/files`, purpose `batch`), create (`POST {base}/batches`),
 * poll (`GET {base}/batches/{id}`), read the output and error files (`GET {base}/files/{id}/content`),
 * cancel (`POST {base}/batches/{id}/cancel`). The base URL includes `/v1`, as for realtime requests.
 */
import { MalformedResponseError } from '../../http/errors.js';
import { openaiWire } from '../openai-wire.js';
import { isRecord } from '../wire-helpers.js';
import { multipartBody } from './body-source.js';
import {
  encodeOpenAiBatchLine,
  OPENAI_BATCH_APIS,
  OPENAI_COMPLETION_WINDOW,
  type OpenAiBatchApi,
  readOpenAiBatch,
  readOpenAiResultLine,
} from './openai-batch-shapes.js';
import { callWithRetry } from './retry-call.js';
import type { BatchClient, BatchLimits, BatchSnapshot, HttpBatchClientOptions, SubmittedBatch } from './types.js';

/**
 * OpenAI's limits are 50,000 requests and 200 MB per input file. Bytes are counted in decimal megabytes
 * and the multipart framing is left out of the count, a margin that costs nothing.
 */
export const OPENAI_BATCH_LIMITS: Readonly<BatchLimits> = { maxRequests: 50_000, maxBytes: 200_000_000 };

/** Batches listed when looking for one whose create answer was lost. */
const RECOVERY_LIST_LIMIT = 100;

export interface OpenAiBatchClientOptions extends HttpBatchClientOptions {
  /** The endpoint every request of the batch goes to, and its wire. @default Chat Completions */
  api?: OpenAiBatchApi;
  /** The URL of an API path (`/files`, `/batches/…`) when it is not `baseUrl + path` (Azure). */
  url?: (path: string) => string;
  /** Credentials when they are not OpenAI's bearer token (Azure's `api-key`). */
  authHeaders?: Record<string, string>;
}

/** `baseUrl` includes `/v1` (unless `url` builds the URLs). */
export function createOpenAiBatchClient(options: OpenAiBatchClientOptions): BatchClient {
  const { baseUrl, http, retry, uploadTimeoutMs } = options;
  const api = options.api ?? OPENAI_BATCH_APIS.chat;
  const headers = options.authHeaders ?? { authorization: openaiWire.headers(options.apiKey).authorization };
  const url = options.url ?? ((path: string) => `${baseUrl}${path}`);
  const getJson = async (path: string, signal: AbortSignal) => (await http.send('GET', url(path), headers, { signal })).body;

  /** A create whose answer was lost (reset, timeout, 5xx) may have worked: look for a batch over our file. */
  async function findBatchOver(fileId: string, signal: AbortSignal): Promise<SubmittedBatch | undefined> {
    const list = await getJson(`/batches?limit=${RECOVERY_LIST_LIMIT}`, signal);
    const batches = isRecord(list) && Array.isArray(list.data) ? list.data.filter(isRecord) : [];
    const found = batches.find((batch) => batch.input_file_id === fileId);
    if (found === undefined) return undefined;
    const snapshot = readOpenAiBatch(found);
    return { id: snapshot.id, status: snapshot.status, inputFileId: fileId };
  }

  return {
    provider: 'openai',
    limits: { ...OPENAI_BATCH_LIMITS, ...options.limits },
    encodeRequest: (customId, request) => encodeOpenAiBatchLine(customId, request, api),

    async submit(encoded, { signal, onStep }) {
      onStep('uploading');
      const body = multipartBody({ purpose: 'batch' }, { field: 'file', filename: 'llm-batch-requests.jsonl', contentType: 'application/jsonl', lines: encoded });
      const upload = async () => readId((await http.upload(url('/files'), headers, body, { signal, timeoutMs: uploadTimeoutMs })).body, 'file');
      const fileId = await callWithRetry('upload the batch file', upload, retry, signal);
      onStep('submitting');
      const create = { input_file_id: fileId, endpoint: api.endpoint, completion_window: OPENAI_COMPLETION_WINDOW };
      return callWithRetry(
        'create the batch',
        async () => {
          const snapshot = readOpenAiBatch((await http.postJson(url('/batches'), headers, create, { signal })).body);
          return { id: snapshot.id, status: snapshot.status, inputFileId: fileId };
        },
        retry,
        signal,
        () => findBatchOver(fileId, signal),
      );
    },

    poll(batchId, signal) {
      return callWithRetry(`poll batch ${batchId}`, async () => readOpenAiBatch(await getJson(`/batches/${encodeURIComponent(batchId)}`, signal)), retry, signal);
    },

    async *results(snapshot: BatchSnapshot, signal) {
      for (const fileId of snapshot.resultRefs) {
        for await (const line of http.lines(url(`/files/${encodeURIComponent(fileId)}/content`), headers, { signal })) {
          const outcome = readOpenAiResultLine(line, api.wire);
          if (outcome !== undefined) yield outcome;
        }
      }
    },

    cancel(batchId, signal) {
      const cancelUrl = url(`/batches/${encodeURIComponent(batchId)}/cancel`);
      return callWithRetry(`cancel batch ${batchId}`, async () => readOpenAiBatch((await http.send('POST', cancelUrl, headers, { signal })).body), retry, signal);
    },

    close: () => http.close(),
  };
}

function readId(body: unknown, what: string): string {
  if (isRecord(body) && typeof body.id === 'string' && body.id !== '') return body.id;
  throw new MalformedResponseError(`the ${what} upload answer has no id`);
}
