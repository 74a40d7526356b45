/** The Anthropic Messages dialect: `POST /v1/messages`, `x-api-key`, `anthropic-version`. */
import type { IncomingMessage } from 'node:http';
import type { ChatMessage, ContentPart } from '../template/types.js';
import type { OutputSchema, RequestParams } from '../providers/types.js';
import { lastUserText } from './answer.js';
import { MISSING_MODEL } from './missing-model.js';
import { BAD_GATEWAY, isRecord, type ApiErrorSpec, type Dialect, type ErrorKind, type ParsedRequest, type SuccessInput } from './dialect.js';
import { CacheKeyBuilder } from './anthropic-cache-keys.js';
import { anthropicRateLimitHeaders } from './rate-limit-headers.js';

export const CREDIT_BALANCE_MESSAGE =
  'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.';

const ERRORS: Record<Exclude<ErrorKind, 'bad_gateway'>, { status: number; type: string; message: string }> = {
  invalid_request: { status: 400, type: 'invalid_request_error', message: 'Invalid request.' },
  authentication: { status: 401, type: 'authentication_error', message: 'invalid x-api-key' },
  not_found: { status: 404, type: 'not_found_error', message: 'Not found' },
  rate_limit: { status: 429, type: 'rate_limit_error', message: 'Rate limit exceeded.' },
  // Anthropic reports an empty balance as a 400, not a 429: clients must recognise it by message.
  quota: { status: 400, type: 'invalid_request_error', message: CREDIT_BALANCE_MESSAGE },
  server: { status: 500, type: 'api_error', message: 'Internal server error' },
  unavailable: { status: 503, type: 'api_error', message: 'Service unavailable' },
  overloaded: { status: 529, type: 'overloaded_error', message: 'Overloaded' },
};

function invalid(message: string): ApiErrorSpec {
  return { kind: 'invalid_request', message };
}

export const anthropicDialect: Dialect = {
  name: 'anthropic',
  requestIdHeader: 'request-id',
  idPrefix: 'msg_',
  sendsRetryAfterMs: false,
  malformedJsonMessage: 'There was an error parsing the body of your request: invalid JSON',

  authenticate(req: IncomingMessage, apiKey: string | undefined): ApiErrorSpec | undefined {
    const key = req.headers['x-api-key'];
    if (typeof key !== 'string' || key === '') return { kind: 'authentication', message: 'x-api-key header is required' };
    return apiKey !== undefined && key !== apiKey ? { kind: 'authentication' } : undefined;
  },

  parse(body: unknown, req: IncomingMessage): ParsedRequest | ApiErrorSpec {
    if (!req.headers['anthropic-version']) return invalid('anthropic-version: header is required');
    if (!isRecord(body)) return invalid('Input should be a valid dictionary');
    if (typeof body.model !== 'string' || body.model === '') return invalid('model: Field required');
    if (MISSING_MODEL.test(body.model)) return { kind: 'not_found', message: `model: ${body.model}` };
    if (body.max_tokens === undefined) return invalid('max_tokens: Field required');
    if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens) || body.max_tokens < 1) {
      return invalid('max_tokens: Input should be greater than or equal to 1');
    }
    if (!Array.isArray(body.messages)) return invalid('messages: Field required');
    if (body.messages.length === 0) return invalid('messages: at least one message is required');

    const cacheKeys = new CacheKeyBuilder(body.model);
    const tool = forcedTool(body, cacheKeys);
    if (tool !== undefined && 'kind' in tool) return tool;
    const messages: ChatMessage[] = [];
    const system = toSystem(body.system, cacheKeys);
    if ('kind' in system) return system;
    if (system.length > 0) messages.push({ role: 'system', content: system });
    for (let i = 0; i < body.messages.length; i++) {
      const message = toChatMessage(body.messages[i], i, cacheKeys);
      if ('kind' in message) return message;
      messages.push(message);
    }
    const params = toParams(body, tool);
    if ('kind' in params) return params;
    return { chat: { messages, params }, prompt: lastUserText(messages), toolName: tool?.name, cacheBreakpoints: cacheKeys.breakpoints };
  },

  error(spec: ApiErrorSpec, requestId: string) {
    if (spec.kind === 'bad_gateway') return BAD_GATEWAY;
    const base = ERRORS[spec.kind];
    const body = { type: 'error', error: { type: base.type, message: spec.message ?? base.message }, request_id: requestId };
    return { status: base.status, contentType: 'application/json', body: JSON.stringify(body) };
  },

  successBody({ parsed, answer, cache, id }: SuccessInput): string {
    const toolName = parsed.toolName;
    // The answer text of a forced tool call is already compact JSON: it is the tool input, as-is.
    const content =
      toolName !== undefined && !answer.refused
        ? `{"type":"tool_use","id":"toolu_${id.slice(4)}","name":${JSON.stringify(toolName)},"input":${answer.text}}`
        : `{"type":"text","text":${JSON.stringify(answer.text)}}`;
    const stopReason = answer.refused ? 'refusal' : toolName !== undefined ? 'tool_use' : answer.truncated ? 'max_tokens' : 'end_turn';
    // Anthropic's input_tokens excludes both cache tiers; the three add up to the whole prompt.
    const inputTokens = answer.usage.inputTokens - cache.read - cache.write;
    // Assembled by hand: this runs for every request of every benchmark, and only the strings need escaping.
    return (
      `{"id":${JSON.stringify(id)},"type":"message","role":"assistant","model":${JSON.stringify(parsed.chat.params.model)},` +
      `"content":[${content}],"stop_reason":"${stopReason}","stop_sequence":null,"usage":{"input_tokens":${inputTokens},` +
      `"cache_creation_input_tokens":${cache.write},"cache_read_input_tokens":${cache.read},` +
      `"cache_creation":{"ephemeral_5m_input_tokens":${cache.write},"ephemeral_1h_input_tokens":0},` +
      `"output_tokens":${answer.usage.outputTokens},"service_tier":"standard"}}`
    );
  },

  rateLimitHeaders(limits, now, headers) {
    anthropicRateLimitHeaders(limits, now, headers as Record<string, string>);
  },
};

/** `tools` + `tool_choice: {type:'tool', name}` (or `any` with one tool): the forced tool whose `input_schema` shapes the answer. */
function forcedTool(body: Record<string, unknown>, cacheKeys: CacheKeyBuilder): OutputSchema | ApiErrorSpec | undefined {
  const tools = Array.isArray(body.tools) ? body.tools.filter(isRecord) : [];
  for (const tool of tools) cacheKeys.add(JSON.stringify({ ...tool, cache_control: undefined }), tool.cache_control !== undefined);
  const choice = body.tool_choice;
  if (!isRecord(choice)) return undefined;
  // `any` with a single tool forces that tool just as surely as naming it.
  if (choice.type === 'any' && tools.length === 1) return { name: String(tools[0].name), schema: isRecord(tools[0].input_schema) ? tools[0].input_schema : {} };
  if (choice.type !== 'tool') return undefined;
  const tool = tools.find((t) => t.name === choice.name);
  if (!tool) return invalid(`tool_choice.name: Tool '${String(choice.name)}' not found in tools`);
  return { name: String(tool.name), schema: isRecord(tool.input_schema) ? tool.input_schema : {} };
}

function toSystem(system: unknown, cacheKeys: CacheKeyBuilder): ContentPart[] | ApiErrorSpec {
  if (system === undefined || system === null) return [];
  if (typeof system === 'string') {
    cacheKeys.add(system, false);
    return system === '' ? [] : [{ type: 'text', text: system }];
  }
  if (!Array.isArray(system)) return invalid('system: Input should be a valid string or list of text blocks');
  const parts: ContentPart[] = [];
  for (const block of system) {
    if (!isRecord(block) || block.type !== 'text' || typeof block.text !== 'string') {
      return invalid('system: Input should be a valid list of text blocks');
    }
    cacheKeys.add(block.text, block.cache_control !== undefined);
    parts.push({ type: 'text', text: block.text });
  }
  return parts;
}

function toChatMessage(raw: unknown, index: number, cacheKeys: CacheKeyBuilder): ChatMessage | ApiErrorSpec {
  if (!isRecord(raw)) return invalid(`messages.${index}: Input should be a valid dictionary`);
  // A system role inside `messages` is a classic client bug: Anthropic wants it top-level.
  if (raw.role !== 'user' && raw.role !== 'assistant') return invalid(`messages.${index}.role: Input should be 'user' or 'assistant'`);
  const role = raw.role;
  if (typeof raw.content === 'string') {
    cacheKeys.add(raw.content, false);
    return { role, content: [{ type: 'text', text: raw.content }] };
  }
  if (!Array.isArray(raw.content)) return invalid(`messages.${index}.content: Field required`);
  const content: ContentPart[] = [];
  for (const block of raw.content) {
    if (!isRecord(block)) continue;
    const part = toContentPart(block);
    cacheKeys.add(part === undefined ? JSON.stringify(block) : partText(part), block.cache_control !== undefined);
    if (part) content.push(part);
  }
  return { role, content };
}

function toContentPart(block: Record<string, unknown>): ContentPart | undefined {
  if (block.type === 'text' && typeof block.text === 'string') return { type: 'text', text: block.text };
  if (block.type !== 'image' || !isRecord(block.source)) return undefined;
  const source = block.source;
  if (source.type === 'base64' && typeof source.data === 'string') {
    return { type: 'image', mediaType: String(source.media_type), base64: source.data };
  }
  if (source.type === 'url' && typeof source.url === 'string') return { type: 'image', url: source.url };
  return undefined;
}

function partText(part: ContentPart): string {
  if (part.type === 'text') return part.text;
  return 'url' in part ? part.url : part.base64;
}

function toParams(body: Record<string, unknown>, tool: OutputSchema | undefined): RequestParams | ApiErrorSpec {
  const params: RequestParams = { model: body.model as string, maxTokens: body.max_tokens as number, extra: {} };
  if (body.temperature !== undefined) {
    if (typeof body.temperature !== 'number' || body.temperature < 0 || body.temperature > 1) {
      return invalid('temperature: Input should be less than or equal to 1');
    }
    params.temperature = body.temperature;
  }
  // Structured outputs: GA `output_config.format`, beta `output_format`, or the classic forced tool.
  const configFormat = isRecord(body.output_config) ? body.output_config.format : undefined;
  const format = configFormat ?? body.output_format;
  if (isRecord(format) && format.type === 'json_schema') {
    params.schema = { name: 'output', schema: isRecord(format.schema) ? format.schema : {} };
  } else if (tool !== undefined) {
    params.schema = tool;
  }
  return params;
}
