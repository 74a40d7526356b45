/**
 * Pure translation of OpenAI Batch API shapes: request lines, the batch object, and the lines of the
 * output and error files (`{id, custom_id, response: {status_code, request_id, body}, error}`).
 */
import type { Batch } from 'openai/resources/batches';
import { MalformedResponseError } from '../../http/errors.js';
import { redactSecrets } from '../../http/redact.js';
import type { OpenAiApi } from '../openai-apis.js';
import { openaiWire } from '../openai-wire.js';
import { RESPONSES_BATCH_ENDPOINT, responsesWire } from '../responses-wire.js';
import type { ChatRequest, WireFormat } from '../types.js';
import { isRecord, type Loose, readCount, readString } from '../wire-helpers.js';
import { parseJsonLine } from './json-line.js';
import { failureFromMalformed, failureFromOpenAiError, failureFromStatus } from './result-failures.js';
import type { BatchEnd, BatchItemOutcome, BatchSnapshot } from './types.js';

/** Every Chat Completions request of a batch goes to this endpoint; it is also the batch's `endpoint`. */
export const OPENAI_BATCH_ENDPOINT = '/v1/chat/completions' satisfies Batch['endpoint'];

/** A batch's endpoint and the wire of its lines, per API (a batch holds requests to one endpoint only). */
export interface OpenAiBatchApi {
  endpoint: string;
  wire: WireFormat;
}

export const OPENAI_BATCH_APIS: Readonly<Record<OpenAiApi, OpenAiBatchApi>> = {
  chat: { endpoint: OPENAI_BATCH_ENDPOINT, wire: openaiWire },
  responses: { endpoint: RESPONSES_BATCH_ENDPOINT satisfies Batch['endpoint'], wire: responsesWire },
};

/** The only window OpenAI offers. */
export const OPENAI_COMPLETION_WINDOW = '24h';

/** One line of the input file. */
export function encodeOpenAiBatchLine(customId: string, request: ChatRequest, api: OpenAiBatchApi = OPENAI_BATCH_APIS.chat): string {
  const line: OpenAiBatchInputLine = { custom_id: customId, method: 'POST', url: api.endpoint, body: api.wire.buildBody(request) };
  return JSON.stringify(line);
}

/**
 * A line of the batch input file (the OpenAPI spec's `BatchRequestInput`; openai-node has no type for it).
 * `url` is the batch's endpoint: one of `Batch['endpoint']` for OpenAI, Azure's own form for Azure.
 */
interface OpenAiBatchInputLine {
  custom_id: string;
  method: 'POST';
  url: string;
  body: Record<string, unknown>;
}

const ENDS: Readonly<Record<string, BatchEnd>> = {
  completed: 'completed',
  expired: 'expired',
  cancelled: 'canceled',
  failed: 'failed',
};

/** `GET /batches/{id}` → our snapshot. Statuses: validating, in_progress, finalizing, completed, failed, expired, cancelling, cancelled. */
export function readOpenAiBatch(body: unknown): BatchSnapshot {
  if (!isRecord(body) || typeof body.id !== 'string' || typeof body.status !== 'string') {
    throw new MalformedResponseError('the answer is not an OpenAI batch object');
  }
  const batch = body as Loose<Batch> & { id: string; status: string };
  const counts = batch.request_counts ?? {};
  const refs = [batch.output_file_id, batch.error_file_id].filter((ref): ref is string => typeof ref === 'string' && ref !== '');
  const errors = Array.isArray(batch.errors?.data) ? batch.errors.data.filter(isRecord) : [];
  const message = errors.map((error) => readString(error.message, readString(error.code, 'error'))).join('; ');
  return {
    id: batch.id,
    status: batch.status,
    ...(ENDS[batch.status] !== undefined && { end: ENDS[batch.status] }),
    counts: { total: readCount(counts.total), completed: readCount(counts.completed), failed: readCount(counts.failed) },
    ...(message !== '' && { message: redactSecrets(message) }),
    resultRefs: refs,
  };
}

/**
 * One line of the output or error file → an outcome; undefined for a line that cannot be read (its request
 * then counts as having no result, and becomes a dead letter that resume retries).
 */
export function readOpenAiResultLine(line: string, wire: WireFormat = openaiWire): BatchItemOutcome | undefined {
  const record = parseJsonLine(line);
  if (!isRecord(record) || typeof record.custom_id !== 'string') return undefined;
  const customId = record.custom_id;
  const response = isRecord(record.response) ? record.response : undefined;
  if (response !== undefined && typeof response.status_code === 'number') {
    const status = response.status_code;
    if (status >= 200 && status <= 299) {
      try {
        return { customId, kind: 'succeeded', completion: wire.parseCompletion(response.body) };
      } catch (error) {
        return { customId, kind: 'failed', error: failureFromMalformed(error) };
      }
    }
    return { customId, kind: 'failed', error: failureFromStatus(status, response.body) };
  }
  const error = isRecord(record.error) ? record.error : {};
  const code = readString(error.code, 'unknown_error');
  return { customId, kind: 'failed', error: failureFromOpenAiError(code, redactSecrets(readString(error.message, code))) };
}
