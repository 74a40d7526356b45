/**
 * The OpenAI Responses API (`POST {base}/responses`; `/v1/responses` inside a batch). Pure translation,
 * typed against the official SDK: system messages become `instructions`, the rest `input` message items,
 * `--schema` goes under `text.format`, the answer is read from the `output` message items, and
 * `status: "incomplete"` with `incomplete_details.reason` is a cut-off.
 */
import type {
  EasyInputMessage,
  Response,
  ResponseCreateParamsNonStreaming,
  ResponseInputContent,
  ResponseUsage,
} from 'openai/resources/responses/responses';
import { MalformedResponseError } from '../http/errors.js';
import type { ChatMessage, ContentPart } from '../template/types.js';
import { openaiWire, toJsonSchemaFormat } from './openai-wire.js';
import { applyResponsesParams } from './responses-params.js';
import type { ChatRequest, Completion, Usage, WireFormat } from './types.js';
import { isRecord, readCount, readString } from './wire-helpers.js';

/** The Batch API endpoint (and each line's `url`) for Responses requests. */
export const RESPONSES_BATCH_ENDPOINT = '/v1/responses';

/** `incomplete_details.reason` values that mean the answer was cut off by the token limit. */
const TOKEN_LIMIT_REASONS: ReadonlySet<string> = new Set(['max_output_tokens']);

export const responsesWire: WireFormat = {
  id: 'openai',
  path: '/responses',
  // Same credentials as Chat Completions.
  headers: (apiKey) => openaiWire.headers(apiKey),
  buildBody: buildResponsesBody,
  parseCompletion: parseResponsesCompletion,
};

/** The request body for one request. `store: false`: a batch runner never needs the response kept server-side. */
export function buildResponsesBody(request: ChatRequest): Record<string, unknown> {
  const { params } = request;
  const system = request.messages.filter((message) => message.role === 'system');
  const body: ResponseCreateParamsNonStreaming = {
    model: params.model,
    input: request.messages.filter((message) => message.role !== 'system').map(toInputMessage),
    store: false,
  };
  if (system.length > 0) body.instructions = system.map(textOf).join('\n\n');
  if (params.maxTokens !== undefined) body.max_output_tokens = params.maxTokens;
  if (params.temperature !== undefined) body.temperature = params.temperature;
  if (params.schema !== undefined) {
    body.text = { format: { type: 'json_schema', ...toJsonSchemaFormat(params.schema) } };
  } else if (params.jsonOutput) {
    body.text = { format: { type: 'json_object' } };
  }
  const wire: Record<string, unknown> = { ...body };
  applyResponsesParams(wire, params.extra);
  return wire;
}

function toInputMessage(message: ChatMessage): EasyInputMessage {
  const role = message.role === 'assistant' ? 'assistant' : 'user';
  const [first] = message.content;
  // A lone text part goes as a plain string, the API's shortest form.
  if (first === undefined) return { role, content: '' };
  if (message.content.length === 1 && first.type === 'text') return { role, content: first.text };
  return { role, content: message.content.map((part) => toInputPart(part, role)) };
}

function toInputPart(part: ContentPart, role: 'user' | 'assistant'): ResponseInputContent {
  // Earlier assistant turns are plain text; only user turns carry images.
  if (part.type === 'text') return { type: 'input_text', text: part.text };
  const url = 'url' in part ? part.url : `data:${part.mediaType};base64,${part.base64}`;
  if (role === 'assistant') return { type: 'input_text', text: url };
  return { type: 'input_image', image_url: url, detail: 'auto' };
}

function textOf(message: ChatMessage): string {
  return message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** The fields of a response body we read; every one may be missing on a compatible server. */
type ResponseBody = Partial<Pick<Response, 'status' | 'output' | 'usage' | 'model' | 'incomplete_details' | 'error' | 'service_tier'>>;

/** Read a 2xx body; throws `MalformedResponseError` when it holds no answer. */
export function parseResponsesCompletion(raw: unknown): Completion {
  if (!isRecord(raw)) throw new MalformedResponseError('response body is not a JSON object');
  const body = raw as ResponseBody;
  const status = readString(body.status, 'completed');
  if (status === 'failed' || status === 'cancelled') {
    const reason = isRecord(body.error) ? `: ${readString(body.error.message, 'error without a message')}` : '';
    throw new MalformedResponseError(`the response ${status}${reason}`);
  }
  if (!Array.isArray(body.output)) throw new MalformedResponseError('response has no output array');
  const { text, refusal, messages } = readOutput(body.output);
  const incomplete = status === 'incomplete' ? readString(body.incomplete_details?.reason, 'incomplete') : undefined;
  if (messages === 0 && incomplete === undefined) {
    throw new MalformedResponseError(`response output has no message item (status ${status})`);
  }
  const finishReason = refusal !== undefined ? 'refusal' : (incomplete ?? 'stop');
  return {
    text: refusal ?? text,
    finishReason,
    truncated: incomplete !== undefined && TOKEN_LIMIT_REASONS.has(incomplete),
    ...(refusal !== undefined && { refusal }),
    usage: readResponsesUsage(body.usage),
    model: readString(body.model, ''),
    ...(typeof body.service_tier === 'string' && { serviceTier: body.service_tier }),
  };
}

/** The text of every `output_text` part of every message item (reasoning items are skipped), and any refusal. */
function readOutput(output: readonly unknown[]): { text: string; refusal?: string; messages: number } {
  let text = '';
  let refusal: string | undefined;
  let messages = 0;
  for (const item of output) {
    if (!isRecord(item) || item.type !== 'message' || !Array.isArray(item.content)) continue;
    messages += 1;
    for (const part of item.content) {
      if (!isRecord(part)) continue;
      if (part.type === 'output_text' && typeof part.text === 'string') text += part.text;
      else if (part.type === 'refusal' && typeof part.refusal === 'string') refusal = (refusal ?? '') + part.refusal;
    }
  }
  return { text, messages, ...(refusal !== undefined && { refusal }) };
}

/** Responses usage → ours. `input_tokens` includes cached tokens and `output_tokens` reasoning tokens, as we count them. */
export function readResponsesUsage(raw: unknown): Usage {
  if (!isRecord(raw)) return { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
  const usage = raw as Partial<ResponseUsage>;
  return {
    inputTokens: readCount(usage.input_tokens),
    outputTokens: readCount(usage.output_tokens),
    cachedInputTokens: readCount(usage.input_tokens_details?.cached_tokens),
    cacheWriteTokens: readCount(usage.input_tokens_details?.cache_write_tokens),
    reasoningTokens: readCount(usage.output_tokens_details?.reasoning_tokens),
  };
}
