/**
 * Token counts before a request is sent: input with a real tokenizer (gpt-tokenizer, o200k_base, the
 * GPT-4o/4.1/5 encoding), output from max_tokens or the schema. Used by `estimate`, the budget
 * reservation and the TPM limiter; actual usage corrects them afterwards.
 * Speed (2-core machine): 1.4–2M tokens/s on ~60-token items (22–38k items/s, so a 1M-item pre-scan
 * spends 30–45 s tokenizing), ~3M tokens/s on long texts; loading the tokenizer costs ~0.4–0.55 s once.
 */

import { countTokens } from 'gpt-tokenizer';
import type { ChatRequest, ProviderId, RequestParams } from '../providers/types.js';
import type { ChatMessage } from '../template/types.js';
import { estimateWorstCaseOutputTokens } from './output-limits.js';
import { sampleFromSchema } from './schema-sample.js';

export { DEFAULT_WORST_CASE_OUTPUT_TOKENS, estimateWorstCaseOutputTokens } from './output-limits.js';

/** Chat formats wrap each message in role and separator tokens (OpenAI's cookbook counts 3–4). */
export const TOKENS_PER_MESSAGE = 4;

/** The assistant turn the API opens for the reply. */
export const REPLY_PRIMING_TOKENS = 3;

/** Typical answer length for free text when nothing better is known; a classification is far shorter. */
export const TYPICAL_TEXT_OUTPUT_TOKENS = 256;

/**
 * Claude's tokenizer is not public; on English prose it yields noticeably more tokens than o200k, so
 * Anthropic text counts are scaled up rather than under-reserved.
 */
export const TEXT_TOKEN_RATIO: Readonly<Record<ProviderId, number>> = { openai: 1, anthropic: 1.2, azure: 1, mock: 1 };

/**
 * Per-image input tokens; the image size is unknown before download, so a typical large image is assumed.
 * OpenAI high detail, 1024×1024: 85 base + 4 tiles × 170 = 765 (gpt-4o-mini bills 2,833 + 4 × 5,667
 * = 25,501 for the same image so that it costs what gpt-4o does). Anthropic: width×height/750, at most
 * ~1,600 for an image at its 1.15-megapixel limit. First matching row wins.
 */
export const IMAGE_TOKEN_ESTIMATES: ReadonlyArray<{ provider: ProviderId; modelPrefix: string; tokens: number }> = [
  { provider: 'openai', modelPrefix: 'gpt-4o-mini', tokens: 25_501 },
  { provider: 'openai', modelPrefix: '', tokens: 765 },
  { provider: 'anthropic', modelPrefix: '', tokens: 1_600 },
  // Azure deployment names say nothing about the model: priced as OpenAI's high-detail image.
  { provider: 'azure', modelPrefix: '', tokens: 765 },
  { provider: 'mock', modelPrefix: '', tokens: 765 },
];

const OPENAI_HIGH_DETAIL_IMAGE_TOKENS = 765;

/**
 * Anthropic adds a hidden system prompt when a tool is forced (our structured output): 346 tokens for
 * `tool_choice` any/tool on current Claude models, per Anthropic's tool-use pricing notes.
 */
export const ANTHROPIC_FORCED_TOOL_TOKENS = 346;

/** Which tokenizer corrections apply. */
export interface TokenEstimateOptions {
  /** @default 'openai' */
  provider?: ProviderId;
  /** Selects the image estimate. @default '' */
  model?: string;
}

// Text containing `<|endoftext|>` and friends is user data, not a control token: count it as text.
const ENCODE_OPTIONS = { disallowedSpecial: new Set<string>() };

const schemaTokenMemo = new WeakMap<object, number>();
const sampleTokenMemo = new WeakMap<object, number>();

/** Tokens of a text under o200k_base. */
export function countTextTokens(text: string): number {
  return text.length === 0 ? 0 : countTokens(text, ENCODE_OPTIONS);
}

/** Input tokens of the messages: text, per-message overhead and a fixed estimate per image. */
export function estimateInputTokens(messages: ChatMessage[], options: TokenEstimateOptions = {}): number {
  const provider = options.provider ?? 'openai';
  const imageTokens = imageTokenEstimate(provider, options.model ?? '');
  let textTokens = 0;
  let images = 0;
  for (const message of messages) {
    for (const part of message.content) {
      if (part.type === 'text') textTokens += countTextTokens(part.text);
      else images += 1;
    }
  }
  const overhead = messages.length * TOKENS_PER_MESSAGE + REPLY_PRIMING_TOKENS;
  return Math.ceil(textTokens * TEXT_TOKEN_RATIO[provider]) + overhead + images * imageTokens;
}

/**
 * Input tokens of a whole request: the messages plus what structured output adds (the schema is sent
 * as input; Anthropic also adds its forced-tool prompt). Pass the wire provider, not `mock`, when known.
 */
export function estimateRequestInputTokens(request: ChatRequest, provider: ProviderId): number {
  const messages = estimateInputTokens(request.messages, { provider, model: request.params.model });
  const schema = request.params.schema;
  if (!schema) return messages;
  let schemaTokens = schemaTokenMemo.get(schema.schema);
  if (schemaTokens === undefined) {
    schemaTokens = countTextTokens(JSON.stringify(schema.schema));
    schemaTokenMemo.set(schema.schema, schemaTokens);
  }
  const toolPrompt = provider === 'anthropic' ? ANTHROPIC_FORCED_TOOL_TOKENS : 0;
  return messages + schemaTokens + toolPrompt;
}

/** The request fields that bound or shape the answer. */
export type OutputEstimateParams = Pick<RequestParams, 'maxTokens' | 'schema'>;

/**
 * The output tokens of a typical answer, for projections and `estimate`: the size of a sample instance
 * of the schema when there is one, else `TYPICAL_TEXT_OUTPUT_TOKENS`; never more than max_tokens.
 */
export function estimateTypicalOutputTokens(params: OutputEstimateParams): number {
  const typical = params.schema ? sampleTokens(params.schema.schema) : TYPICAL_TEXT_OUTPUT_TOKENS;
  return params.maxTokens === undefined ? typical : Math.min(typical, params.maxTokens);
}

/** Both output estimates at once. */
export function estimateOutputTokens(
  params: OutputEstimateParams,
  provider: ProviderId = 'openai',
): { typical: number; worst: number } {
  return { typical: estimateTypicalOutputTokens(params), worst: estimateWorstCaseOutputTokens(params, provider) };
}

function sampleTokens(schema: Record<string, unknown>): number {
  let tokens = sampleTokenMemo.get(schema);
  if (tokens === undefined) {
    tokens = countTextTokens(JSON.stringify(sampleFromSchema(schema)));
    sampleTokenMemo.set(schema, tokens);
  }
  return tokens;
}

function imageTokenEstimate(provider: ProviderId, model: string): number {
  const row = IMAGE_TOKEN_ESTIMATES.find((entry) => entry.provider === provider && model.startsWith(entry.modelPrefix));
  return row?.tokens ?? OPENAI_HIGH_DETAIL_IMAGE_TOKENS;
}
