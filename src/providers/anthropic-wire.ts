/**
 * Anthropic Messages (`POST {base}/v1/messages`). Pure translation; shared by the realtime and Message
 * Batches APIs. Structured output is a single forced tool whose input is the answer. Request and response
 * shapes are the official `@anthropic-ai/sdk` types (type-only imports), pinned to the SDK release that
 * sends the same `anthropic-version` as we do.
 */
import type {
  Base64ImageSource,
  Message,
  MessageCreateParamsNonStreaming,
  TextBlockParam,
  Usage as AnthropicUsage,
} from '@anthropic-ai/sdk/resources/messages';
import { MalformedResponseError } from '../http/errors.js';
import type { ChatMessage, ContentPart } from '../template/types.js';
import {
  type AnthropicBlock,
  type AnthropicMessage,
  estimateTokensFromChars,
  markPromptCache,
} from './anthropic-cache.js';
import { isAnthropicImageType } from './image-types.js';
import type { ChatRequest, Completion, Usage, WireFormat } from './types.js';
import { isRecord, type Loose, parseDataUrl, readCount, readString } from './wire-helpers.js';

export type AnthropicMessagesBody = MessageCreateParamsNonStreaming;

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
    buildBody: (request) => buildAnthropicBody(request, estimateTokens) as unknown as Record<string, unknown>,
    parseCompletion: parseAnthropicCompletion,
  };
}

export const anthropicWire: WireFormat = createAnthropicWire();

/** The request body for one chat request. */
export function buildAnthropicBody(
  request: ChatRequest,
  estimateTokens: (text: string) => number = estimateTokensFromChars,
): AnthropicMessagesBody {
  const { params } = request;
  const systemMessages = request.messages.filter((message) => message.role === 'system');
  const systemBlocks = systemMessages.flatMap(toSystemBlocks);
  if (params.jsonOutput && params.schema === undefined) systemBlocks.push({ type: 'text', text: JSON_OUTPUT_INSTRUCTION });
  const systemShared = systemMessages.length > 0 && systemMessages.every((message) => message.shared === true);
  const conversation = mergeSameRole(request.messages.filter(isConversational).map(toAnthropicMessage));
  const cached = markPromptCache(systemBlocks, conversation, params.model, estimateTokens, systemShared);

  const body: AnthropicMessagesBody = {
    model: params.model,
    max_tokens: params.maxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS,
    messages: cached.messages.map((message) => ({ role: message.role, content: compactContent(message.content) })),
  };
  if (cached.system.length > 0) body.system = compactContent(cached.system);
  if (params.temperature !== undefined) body.temperature = params.temperature;
  if (params.schema !== undefined) {
    const { name, schema } = params.schema;
    const description = typeof schema.description === 'string' ? schema.description : DEFAULT_TOOL_DESCRIPTION;
    // `toOutputSchema` guarantees the object root the API requires.
    body.tools = [{ name, description, input_schema: { ...schema, type: 'object' } }];
    body.tool_choice = { type: 'tool', name };
  }
  // `extra` holds wire names checked against this provider's parameter table (`map-params.ts`).
  return { ...body, ...(params.extra as Partial<AnthropicMessagesBody>) };
}

function isConversational(message: ChatMessage): message is ChatMessage & { role: 'user' | 'assistant' } {
  return message.role !== 'system';
}

// The top-level `system` field takes text blocks only, so images in a system message are not sent there.
function toSystemBlocks(message: ChatMessage): TextBlockParam[] {
  return message.content.flatMap((part) => (part.type === 'text' ? [{ type: 'text' as const, text: part.text }] : []));
}

function toAnthropicMessage(message: ChatMessage & { role: 'user' | 'assistant' }): AnthropicMessage {
  return { role: message.role, content: message.content.map(toAnthropicBlock), shared: message.shared === true };
}

function toAnthropicBlock(part: ContentPart): AnthropicBlock {
  if (part.type === 'text') return { type: 'text', text: part.text };
  // The `url` source fetches over HTTP; a data: URL must be sent as base64 instead.
  const inline = 'base64' in part ? { mediaType: part.mediaType, base64: part.base64 } : parseDataUrl(part.url);
  if (inline === undefined) return { type: 'image', source: { type: 'url', url: (part as { url: string }).url } };
  return { type: 'image', source: base64Source(inline.mediaType, inline.base64) };
}

function base64Source(mediaType: string, data: string): Base64ImageSource {
  // The template guard (`image-types.ts`) refuses other types before any request; this is the last line.
  if (!isAnthropicImageType(mediaType)) throw new Error(`image media type ${mediaType} reached the Anthropic wire unchecked`);
  return { type: 'base64', media_type: mediaType, data };
}

/** The API requires user and assistant turns to alternate; consecutive same-role messages become one. */
function mergeSameRole(messages: AnthropicMessage[]): AnthropicMessage[] {
  const merged: AnthropicMessage[] = [];
  for (const message of messages) {
    const previous = merged.at(-1);
    if (previous?.role === message.role) {
      merged[merged.length - 1] = {
        role: previous.role,
        content: [...previous.content, ...message.content],
        shared: previous.shared === true && message.shared === true,
      };
    } else {
      merged.push(message);
    }
  }
  return merged;
}

/** A lone unmarked text block goes as a plain string, the form every Anthropic-compatible server accepts. */
function compactContent<B extends AnthropicBlock>(blocks: B[]): string | B[] {
  const [first] = blocks;
  if (blocks.length === 1 && first.type === 'text' && first.cache_control === undefined) return first.text;
  return blocks;
}

/** Stop reasons that mean the answer was cut off before its end. */
const CUT_OFF_REASONS: ReadonlySet<string> = new Set(['max_tokens', 'model_context_window_exceeded'] satisfies Message['stop_reason'][]);

/** Read a 2xx body; throws `MalformedResponseError` when it holds no answer. */
export function parseAnthropicCompletion(body: unknown): Completion {
  if (!isRecord(body)) throw new MalformedResponseError('response body is not a JSON object');
  const message = body as Loose<Message> & { error?: unknown };
  if (!Array.isArray(message.content)) {
    const reason = isRecord(message.error) ? `: ${readString(message.error.message, 'error without a message')}` : '';
    throw new MalformedResponseError(`response has no content array${reason}`);
  }
  const blocks: Record<string, unknown>[] = message.content.filter(isRecord);
  const finishReason = readString(message.stop_reason, 'unknown');
  const text = readAnswer(blocks);
  const completion: Completion = {
    text,
    finishReason,
    truncated: CUT_OFF_REASONS.has(finishReason),
    usage: readAnthropicUsage(message.usage),
    model: readString(message.model, ''),
  };
  if (finishReason !== 'refusal') return completion;
  const explanation = readString(message.stop_details?.explanation, '');
  return { ...completion, text: '', refusal: text.trim() || explanation || 'the model declined to answer (stop_reason refusal)' };
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
 * `inputTokens` counts every input token (SPEC §6). Thinking is billed inside `output_tokens`;
 * `output_tokens_details.thinking_tokens` says how much of it.
 */
export function readAnthropicUsage(value: unknown): Usage {
  const usage: Loose<AnthropicUsage> = isRecord(value) ? value : {};
  const cacheRead = readCount(usage.cache_read_input_tokens);
  const cacheWrite = readCount(usage.cache_creation_input_tokens);
  return {
    inputTokens: readCount(usage.input_tokens) + cacheRead + cacheWrite,
    outputTokens: readCount(usage.output_tokens),
    cachedInputTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reasoningTokens: readCount(usage.output_tokens_details?.thinking_tokens),
  };
}
