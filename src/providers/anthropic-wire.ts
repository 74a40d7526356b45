/**
 * Anthropic Messages (`POST {base}/v1/messages`). Pure translation; shared by the realtime and Message
 * Batches APIs. Structured output is a single forced tool whose input is the answer.
 */
import { MalformedResponseError } from '../http/errors.js';
import type { ChatMessage, ContentPart } from '../template/types.js';
import {
  type AnthropicBlock,
  type AnthropicMessage,
  estimateTokensFromChars,
  markPromptCache,
} from './anthropic-cache.js';
import type { ChatRequest, Completion, Usage, WireFormat } from './types.js';
import { isRecord, parseDataUrl, readCount, readString } from './wire-helpers.js';

export const ANTHROPIC_VERSION = '2023-06-01';

/** `max_tokens` is required by the Messages API; SPEC §5 fixes the default. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 1024;

/** Anthropic has no JSON mode; without a schema, JSON output is asked for in the system prompt. */
export const JSON_OUTPUT_INSTRUCTION =
  'Respond with a single valid JSON value and nothing else: no prose, no Markdown code fences.';

const DEFAULT_TOOL_DESCRIPTION = 'Record the answer. The input must satisfy this schema.';

export interface AnthropicWireOptions {
  /**
   * Token estimate used to decide whether a prefix is long enough for the prompt cache.
   * @default characters / 3.5
   */
  estimateTokens?: (text: string) => number;
}

/** The Anthropic wire format; `anthropicWire` is the default instance. */
export function createAnthropicWire(options: AnthropicWireOptions = {}): WireFormat {
  const estimateTokens = options.estimateTokens ?? estimateTokensFromChars;
  return {
    id: 'anthropic',
    path: '/v1/messages',
    headers: (apiKey) => ({
      'x-api-key': apiKey,
      'anthropic-version': ANTHROPIC_VERSION,
      'content-type': 'application/json',
    }),
    buildBody: (request) => buildAnthropicBody(request, estimateTokens),
    parseCompletion: parseAnthropicCompletion,
  };
}

export const anthropicWire: WireFormat = createAnthropicWire();

/** The request body for one chat request. */
export function buildAnthropicBody(
  request: ChatRequest,
  estimateTokens: (text: string) => number = estimateTokensFromChars,
): Record<string, unknown> {
  const { params } = request;
  const systemBlocks = request.messages.filter((message) => message.role === 'system').flatMap(toSystemBlocks);
  if (params.jsonOutput && params.schema === undefined) systemBlocks.push({ type: 'text', text: JSON_OUTPUT_INSTRUCTION });
  const conversation = mergeSameRole(request.messages.filter(isConversational).map(toAnthropicMessage));
  const cached = markPromptCache(systemBlocks, conversation, params.model, estimateTokens);

  const body: Record<string, unknown> = { model: params.model, max_tokens: params.maxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS };
  if (cached.system.length > 0) body.system = compactContent(cached.system);
  body.messages = cached.messages.map((message) => ({ role: message.role, content: compactContent(message.content) }));
  if (params.temperature !== undefined) body.temperature = params.temperature;
  if (params.schema !== undefined) {
    const { name, schema } = params.schema;
    const description = typeof schema.description === 'string' ? schema.description : DEFAULT_TOOL_DESCRIPTION;
    body.tools = [{ name, description, input_schema: schema }];
    body.tool_choice = { type: 'tool', name };
  }
  return { ...body, ...params.extra };
}

function isConversational(message: ChatMessage): message is ChatMessage & { role: 'user' | 'assistant' } {
  return message.role !== 'system';
}

// The top-level `system` field takes text blocks only, so images in a system message are not sent there.
function toSystemBlocks(message: ChatMessage): AnthropicBlock[] {
  return message.content.flatMap((part) => (part.type === 'text' ? [{ type: 'text', text: part.text }] : []));
}

function toAnthropicMessage(message: ChatMessage & { role: 'user' | 'assistant' }): AnthropicMessage {
  return { role: message.role, content: message.content.map(toAnthropicBlock) };
}

function toAnthropicBlock(part: ContentPart): AnthropicBlock {
  if (part.type === 'text') return { type: 'text', text: part.text };
  if ('base64' in part) return { type: 'image', source: { type: 'base64', media_type: part.mediaType, data: part.base64 } };
  // The `url` source fetches over HTTP; a data: URL must be sent as base64 instead.
  const inline = parseDataUrl(part.url);
  if (inline) return { type: 'image', source: { type: 'base64', media_type: inline.mediaType, data: inline.base64 } };
  return { type: 'image', source: { type: 'url', url: part.url } };
}

/** The API requires user and assistant turns to alternate; consecutive same-role messages become one. */
function mergeSameRole(messages: AnthropicMessage[]): AnthropicMessage[] {
  const merged: AnthropicMessage[] = [];
  for (const message of messages) {
    const previous = merged.at(-1);
    if (previous?.role === message.role) merged[merged.length - 1] = { ...previous, content: [...previous.content, ...message.content] };
    else merged.push(message);
  }
  return merged;
}

/** A lone unmarked text block goes as a plain string, the form every Anthropic-compatible server accepts. */
function compactContent(blocks: AnthropicBlock[]): string | AnthropicBlock[] {
  const [first] = blocks;
  if (blocks.length === 1 && first.type === 'text' && first.cache_control === undefined && typeof first.text === 'string') {
    return first.text;
  }
  return blocks;
}

/** Read a 2xx body; throws `MalformedResponseError` when it holds no answer. */
export function parseAnthropicCompletion(body: unknown): Completion {
  if (!isRecord(body)) throw new MalformedResponseError('response body is not a JSON object');
  if (!Array.isArray(body.content)) {
    const reason = isRecord(body.error) ? `: ${readString(body.error.message, 'error without a message')}` : '';
    throw new MalformedResponseError(`response has no content array${reason}`);
  }
  const blocks = body.content.filter(isRecord);
  const finishReason = readString(body.stop_reason, 'unknown');
  return {
    text: readAnswer(blocks),
    finishReason,
    truncated: finishReason === 'max_tokens',
    usage: readAnthropicUsage(body.usage),
    model: readString(body.model, ''),
  };
}

function readAnswer(blocks: Record<string, unknown>[]): string {
  // A forced tool's input is the structured answer; text blocks around it are the model thinking aloud.
  const toolUse = blocks.find((block) => block.type === 'tool_use');
  if (toolUse !== undefined) {
    if (!isRecord(toolUse.input)) throw new MalformedResponseError('tool_use block has no input object');
    return JSON.stringify(toolUse.input);
  }
  return blocks.map((block) => (block.type === 'text' && typeof block.text === 'string' ? block.text : '')).join('');
}

/**
 * Anthropic's usage → ours. Its `input_tokens` excludes both cache tiers, so they are added back: our
 * `inputTokens` counts every input token (SPEC §6).
 */
export function readAnthropicUsage(usage: unknown): Usage {
  const fields = isRecord(usage) ? usage : {};
  const cacheRead = readCount(fields.cache_read_input_tokens);
  const cacheWrite = readCount(fields.cache_creation_input_tokens);
  return {
    inputTokens: readCount(fields.input_tokens) + cacheRead + cacheWrite,
    outputTokens: readCount(fields.output_tokens),
    cachedInputTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    // Extended thinking is billed inside output_tokens; the Messages API reports no separate count.
    reasoningTokens: 0,
  };
}
