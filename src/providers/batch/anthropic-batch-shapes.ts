/**
 * Pure translation of Anthropic Message Batches shapes: `requests[]` elements, the message_batch object
 * and the lines of `results_url` (`{custom_id, result: {type: succeeded|errored|canceled|expired, …}}`).
 */
import type { BatchCreateParams, MessageBatch } from '@anthropic-ai/sdk/resources/messages/batches';
import { MalformedResponseError } from '../../http/errors.js';
import { redactSecrets } from '../../http/redact.js';
import { buildAnthropicBody, parseAnthropicCompletion } from '../anthropic-wire.js';
import type { ChatRequest } from '../types.js';
import { isRecord, type Loose, readCount, readString } from '../wire-helpers.js';
import { parseJsonLine } from './json-line.js';
import { failureFromAnthropicError, failureFromMalformed } from './result-failures.js';
import type { BatchEnd, BatchItemOutcome, BatchSnapshot } from './types.js';

/** One element of the create body's `requests`. */
export function encodeAnthropicBatchRequest(customId: string, request: ChatRequest): string {
  const entry: BatchCreateParams.Request = { custom_id: customId, params: buildAnthropicBody(request) };
  return JSON.stringify(entry);
}

/** `GET /v1/messages/batches/{id}` → our snapshot. `processing_status`: in_progress, canceling, ended. */
export function readAnthropicBatch(body: unknown): BatchSnapshot {
  if (!isRecord(body) || typeof body.id !== 'string' || typeof body.processing_status !== 'string') {
    throw new MalformedResponseError('the answer is not an Anthropic message_batch object');
  }
  const batch = body as Loose<MessageBatch>;
  const counts = batch.request_counts ?? {};
  const succeeded = readCount(counts.succeeded);
  const failed = readCount(counts.errored) + readCount(counts.canceled) + readCount(counts.expired);
  const ended = body.processing_status === 'ended';
  return {
    id: body.id,
    status: body.processing_status,
    ...(ended && { end: endOf(body) }),
    counts: { total: readCount(counts.processing) + succeeded + failed, completed: succeeded, failed },
    resultRefs: typeof batch.results_url === 'string' && batch.results_url !== '' ? [batch.results_url] : [],
  };
}

/** Each request carries its own result type; the batch's end only labels requests with no result line. */
function endOf(body: Record<string, unknown>): BatchEnd {
  if (typeof body.cancel_initiated_at === 'string') return 'canceled';
  const counts = isRecord(body.request_counts) ? body.request_counts : {};
  return readCount(counts.expired) > 0 ? 'expired' : 'completed';
}

/** One results line → an outcome; undefined for a line that cannot be read. */
export function readAnthropicResultLine(line: string): BatchItemOutcome | undefined {
  const record = parseJsonLine(line);
  if (!isRecord(record) || typeof record.custom_id !== 'string' || !isRecord(record.result)) return undefined;
  const customId = record.custom_id;
  const result = record.result;
  switch (result.type) {
    case 'succeeded':
      try {
        return { customId, kind: 'succeeded', completion: parseAnthropicCompletion(result.message) };
      } catch (error) {
        return { customId, kind: 'failed', error: failureFromMalformed(error) };
      }
    case 'errored': {
      const { type, message } = readErrorDetail(result.error);
      return { customId, kind: 'failed', error: failureFromAnthropicError(type, redactSecrets(message)) };
    }
    case 'canceled':
      return { customId, kind: 'failed', error: { class: 'canceled', message: 'the batch was canceled before this request ran' } };
    case 'expired':
      return { customId, kind: 'failed', error: { class: 'expired', message: 'the batch expired (24 h) before this request ran' } };
    default:
      return undefined;
  }
}

/** `{type:'error', error:{type, message}}` (the API's error response), or a bare `{type, message}`. */
function readErrorDetail(error: unknown): { type: string; message: string } {
  const outer = isRecord(error) ? error : {};
  const inner = isRecord(outer.error) ? outer.error : outer;
  const type = readString(inner.type, 'api_error');
  return { type, message: readString(inner.message, type) };
}
