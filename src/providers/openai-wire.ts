/**
 * OpenAI Chat Completions (`POST {base}/chat/completions`), also spoken by OpenRouter, vLLM, Ollama,
 * DeepSeek and Gemini's OpenAI endpoint. Pure translation; shared by the realtime and Batch APIs. Request
 * and response shapes are the official `openai` SDK's types (type-only imports: nothing of it runs).
 */
import type {
  ChatCompletion,
  ChatCompletionContentPart,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { MalformedResponseError } from '../http/errors.js';
import type { ChatMessage, ContentPart } from '../template/types.js';
import { openAiModelFamily } from './model-rules.js';
import { toStrictSchema } from './strict-schema.js';
import type { ChatRequest, Completion, OutputSchema, Usage, WireFormat } from './types.js';
import { isRecord, type Loose, readCount, readString } from './wire-helpers.js';

export type OpenAiChatBody = ChatCompletionCreateParamsNonStreaming;

/** OpenRouter's addition to the usage block: what it charged, in credits (USD). */
interface GatewayUsage extends CompletionUsage {
  cost?: number;
}

export const openaiWire: WireFormat = {
  id: 'openai',
  path: '/chat/completions',
  headers: (apiKey) => ({ authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }),
  buildBody: (request) => buildOpenAiBody(request) as unknown as Record<string, unknown>,
  parseCompletion: parseOpenAiCompletion,
};

/** True when the model takes `max_completion_tokens` instead of `max_tokens` (`model-rules.ts`). */
export function usesMaxCompletionTokens(model: string): boolean {
  return openAiModelFamily(model).maxTokensField === 'max_completion_tokens';
}

/** The request body for one chat request. */
export function buildOpenAiBody(request: ChatRequest): OpenAiChatBody {
  const { params } = request;
  const body: OpenAiChatBody = { model: params.model, messages: request.messages.map(toOpenAiMessage) };
  if (params.maxTokens !== undefined) body[openAiModelFamily(params.model).maxTokensField] = params.maxTokens;
  if (params.temperature !== undefined) body.temperature = params.temperature;
  if (params.schema !== undefined) {
    body.response_format = { type: 'json_schema', json_schema: toJsonSchemaFormat(params.schema) };
  } else if (params.jsonOutput) {
    body.response_format = { type: 'json_object' };
  }
  // `extra` holds wire names checked against this provider's parameter table (`map-params.ts`).
  return { ...body, ...(params.extra as Partial<OpenAiChatBody>) };
}

/** Strict-mode copies, made once per schema: a run sends the same schema with every item. */
const strictCopies = new WeakMap<object, Record<string, unknown> | null>();

/** `--schema` as OpenAI's json_schema format: strict when strict mode can express it (Chat Completions and Responses). */
export function toJsonSchemaFormat(output: OutputSchema): { name: string; schema: Record<string, unknown>; strict: boolean } {
  let strict = strictCopies.get(output.schema);
  if (strict === undefined) {
    const converted = toStrictSchema(output.schema);
    strict = converted.ok ? converted.schema : null;
    strictCopies.set(output.schema, strict);
  }
  return { name: output.name, schema: strict ?? output.schema, strict: strict !== null };
}

function toOpenAiMessage(message: ChatMessage): ChatCompletionMessageParam {
  const [first] = message.content;
  // A lone text part goes as a plain string: every compatible server understands that form.
  const text = first === undefined ? '' : message.content.length === 1 && first.type === 'text' ? first.text : undefined;
  switch (message.role) {
    case 'system':
      return { role: 'system', content: text ?? message.content.flatMap((part) => (part.type === 'text' ? [{ type: 'text' as const, text: part.text }] : [])) };
    case 'assistant':
      return { role: 'assistant', content: text ?? message.content.flatMap((part) => (part.type === 'text' ? [{ type: 'text' as const, text: part.text }] : [])) };
    case 'user':
      return { role: 'user', content: text ?? message.content.map(toOpenAiPart) };
  }
}

function toOpenAiPart(part: ContentPart): ChatCompletionContentPart {
  if (part.type === 'text') return { type: 'text', text: part.text };
  const url = 'url' in part ? part.url : `data:${part.mediaType};base64,${part.base64}`;
  return { type: 'image_url', image_url: { url } };
}

/** Read a 2xx body; throws `MalformedResponseError` when it holds no answer. */
export function parseOpenAiCompletion(body: unknown): Completion {
  if (!isRecord(body)) throw new MalformedResponseError('response body is not a JSON object');
  const response = body as Loose<ChatCompletion> & { error?: unknown };
  const choice = Array.isArray(response.choices) ? response.choices[0] : undefined;
  if (!isRecord(choice) || !isRecord(choice.message)) {
    const reason = isRecord(response.error) ? `: ${readString(response.error.message, 'error without a message')}` : '';
    throw new MalformedResponseError(`response has no choices[0].message${reason}`);
  }
  const finishReason = readString(choice.finish_reason, 'unknown');
  const refusal = typeof choice.message.refusal === 'string' && choice.message.refusal !== '' ? choice.message.refusal : undefined;
  return {
    text: refusal === undefined ? readAnswer(choice.message, finishReason) : '',
    finishReason,
    truncated: finishReason === 'length',
    usage: readOpenAiUsage(response.usage),
    model: readString(response.model, ''),
    ...(refusal !== undefined && { refusal }),
    // Which tier served the request (flex, priority): what it cost depends on it.
    ...(typeof response.service_tier === 'string' && { serviceTier: response.service_tier }),
  };
}

function readAnswer(message: Loose<ChatCompletion.Choice['message']>, finishReason: string): string {
  const content: unknown = message.content;
  if (typeof content === 'string') return content;
  // Some compatible servers return content as parts even in responses.
  if (Array.isArray(content)) {
    return content.map((part: unknown) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('');
  }
  // A reasoning model that spent its whole budget thinking, or a filtered answer: empty, but a real answer.
  if (finishReason === 'length' || finishReason === 'content_filter') return '';
  throw new MalformedResponseError(`choices[0].message has no content (finish_reason ${finishReason})`);
}

/** OpenAI's usage → ours. `prompt_tokens` already includes cached tokens, `completion_tokens` reasoning. */
export function readOpenAiUsage(value: unknown): Usage {
  const usage: Loose<GatewayUsage> = isRecord(value) ? value : {};
  const promptDetails = usage.prompt_tokens_details ?? {};
  const completionDetails = usage.completion_tokens_details ?? {};
  return {
    inputTokens: readCount(usage.prompt_tokens),
    outputTokens: readCount(usage.completion_tokens),
    cachedInputTokens: readCount(promptDetails.cached_tokens),
    // OpenAI's automatic cache has no write charge; OpenRouter reports writes here for models that do.
    cacheWriteTokens: readCount(promptDetails.cache_write_tokens),
    reasoningTokens: readCount(completionDetails.reasoning_tokens),
    ...(typeof usage.cost === 'number' && Number.isFinite(usage.cost) && { reportedCostUsd: usage.cost }),
  };
}
