/**
 * OpenAI Chat Completions (`POST {base}/chat/completions`), also spoken by OpenRouter, vLLM, Ollama,
 * DeepSeek and Gemini's OpenAI endpoint. Pure translation; shared by the realtime and Batch APIs.
 */
import { MalformedResponseError } from '../http/errors.js';
import type { ChatMessage, ContentPart } from '../template/types.js';
import { toStrictSchema } from './strict-schema.js';
import type { ChatRequest, Completion, Usage, WireFormat } from './types.js';
import { isRecord, readCount, readString } from './wire-helpers.js';

/**
 * Reasoning models (o1, o3, o4, gpt-5) reject `max_tokens` and want `max_completion_tokens`. Checked on the
 * last path segment so gateway names like `openai/o3-mini` match too.
 */
const REASONING_MODEL = /^(o\d|gpt-5)/;

export const openaiWire: WireFormat = {
  id: 'openai',
  path: '/chat/completions',
  headers: (apiKey) => ({ authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }),
  buildBody: buildOpenAiBody,
  parseCompletion: parseOpenAiCompletion,
};

/** True when the model takes `max_completion_tokens` instead of `max_tokens`. */
export function usesMaxCompletionTokens(model: string): boolean {
  return REASONING_MODEL.test(model.slice(model.lastIndexOf('/') + 1));
}

/** The request body for one chat request. */
export function buildOpenAiBody(request: ChatRequest): Record<string, unknown> {
  const { params } = request;
  const body: Record<string, unknown> = { model: params.model, messages: request.messages.map(toOpenAiMessage) };
  if (params.maxTokens !== undefined) {
    body[usesMaxCompletionTokens(params.model) ? 'max_completion_tokens' : 'max_tokens'] = params.maxTokens;
  }
  if (params.temperature !== undefined) body.temperature = params.temperature;
  if (params.schema !== undefined) {
    const strict = toStrictSchema(params.schema.schema);
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: params.schema.name, schema: strict ?? params.schema.schema, strict: strict !== undefined },
    };
  } else if (params.jsonOutput) {
    body.response_format = { type: 'json_object' };
  }
  return { ...body, ...params.extra };
}

function toOpenAiMessage(message: ChatMessage): Record<string, unknown> {
  const [first] = message.content;
  if (first === undefined) return { role: message.role, content: '' };
  // A lone text part goes as a plain string: every compatible server understands that form.
  if (message.content.length === 1 && first.type === 'text') return { role: message.role, content: first.text };
  return { role: message.role, content: message.content.map(toOpenAiPart) };
}

function toOpenAiPart(part: ContentPart): Record<string, unknown> {
  if (part.type === 'text') return { type: 'text', text: part.text };
  const url = 'url' in part ? part.url : `data:${part.mediaType};base64,${part.base64}`;
  return { type: 'image_url', image_url: { url } };
}

/** Read a 2xx body; throws `MalformedResponseError` when it holds no answer. */
export function parseOpenAiCompletion(body: unknown): Completion {
  if (!isRecord(body)) throw new MalformedResponseError('response body is not a JSON object');
  const choice = Array.isArray(body.choices) ? (body.choices[0] as unknown) : undefined;
  if (!isRecord(choice) || !isRecord(choice.message)) {
    const reason = isRecord(body.error) ? `: ${readString(body.error.message, 'error without a message')}` : '';
    throw new MalformedResponseError(`response has no choices[0].message${reason}`);
  }
  const finishReason = readString(choice.finish_reason, 'unknown');
  return {
    text: readAnswer(choice.message, finishReason),
    finishReason,
    truncated: finishReason === 'length',
    usage: readOpenAiUsage(body.usage),
    model: readString(body.model, ''),
    // A refusal is never an answer: `validateOutput` turns it into its own failure class.
    ...(typeof choice.message.refusal === 'string' && choice.message.content == null && { refusal: choice.message.refusal }),
    // Which tier served the request (flex, priority): what it cost depends on it.
    ...(typeof body.service_tier === 'string' && { serviceTier: body.service_tier }),
  };
}

function readAnswer(message: Record<string, unknown>, finishReason: string): string {
  const { content, refusal } = message;
  if (typeof content === 'string') return content;
  // Some compatible servers return content as parts even in responses.
  if (Array.isArray(content)) {
    return content.map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('');
  }
  if (typeof refusal === 'string') return refusal;
  // A reasoning model that spent its whole budget thinking, or a filtered answer: empty, but a real answer.
  if (finishReason === 'length' || finishReason === 'content_filter') return '';
  throw new MalformedResponseError(`choices[0].message has no content (finish_reason ${finishReason})`);
}

/** OpenAI's usage → ours. `prompt_tokens` already includes cached tokens, `completion_tokens` reasoning. */
export function readOpenAiUsage(usage: unknown): Usage {
  if (!isRecord(usage)) {
    return { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
  }
  const promptDetails = isRecord(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completionDetails = isRecord(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  return {
    inputTokens: readCount(usage.prompt_tokens),
    outputTokens: readCount(usage.completion_tokens),
    cachedInputTokens: readCount(promptDetails.cached_tokens),
    // OpenAI's automatic cache has no write charge; OpenRouter reports writes here for models that do.
    cacheWriteTokens: readCount(promptDetails.cache_write_tokens),
    reasoningTokens: readCount(completionDetails.reasoning_tokens),
    // OpenRouter reports what it charged, in credits (USD).
    ...(typeof usage.cost === 'number' && Number.isFinite(usage.cost) && { reportedCostUsd: usage.cost }),
  };
}
