/**
 * The OpenAI Responses dialect: `POST /v1/responses`. Auth, errors and rate-limit headers are Chat
 * Completions'; the body is `instructions` + `input` items, `text.format`, `max_output_tokens`, and the
 * answer is a `response` object with `output` message items, as in the official OpenAPI examples.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestParams } from '../providers/types.js';
import type { ChatMessage, ContentPart } from '../template/types.js';
import { lastUserText } from './answer.js';
import { isRecord, type ApiErrorSpec, type Dialect, type ParsedRequest, type SuccessInput } from './dialect.js';
import { imagePart, openaiDialect, servedTier } from './openai-dialect.js';

/** An item carrying this gets a refusal content part instead of an answer. */
export const REFUSAL_MARKER = '[[refusal]]';
const REFUSAL_TEXT = "I'm sorry, but I can't help with that request.";

function invalid(message: string, param: string | null = null, code: string | null = null): ApiErrorSpec {
  return { kind: 'invalid_request', message, param, code };
}

export const responsesDialect: Dialect = {
  ...openaiDialect,
  idPrefix: 'resp_',

  parse(body: unknown, _req: IncomingMessage): ParsedRequest | ApiErrorSpec {
    if (!isRecord(body)) return invalid('Invalid type for request body: expected an object.');
    if (typeof body.model !== 'string' || body.model === '') return invalid("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
    if (body.messages !== undefined) return invalid("Unknown parameter: 'messages'.", 'messages', 'unknown_parameter');
    const messages: ChatMessage[] = [];
    if (typeof body.instructions === 'string' && body.instructions !== '') {
      messages.push({ role: 'system', content: [{ type: 'text', text: body.instructions }] });
    }
    const input = readInput(body.input);
    if ('kind' in input) return input;
    messages.push(...input);
    if (messages.length === 0) return invalid("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
    const params = toParams(body);
    if ('kind' in params) return params;
    return { chat: { messages, params }, prompt: lastUserText(messages), cacheBreakpoints: [] };
  },

  successBody({ parsed, answer, id, now }: SuccessInput): string {
    const { inputTokens, outputTokens } = answer.usage;
    const refused = parsed.prompt.includes(REFUSAL_MARKER);
    const content = refused
      ? { type: 'refusal', refusal: REFUSAL_TEXT }
      : { type: 'output_text', text: answer.text, annotations: [] };
    const truncated = answer.truncated && !refused;
    const params = parsed.chat.params;
    return JSON.stringify({
      id,
      object: 'response',
      created_at: Math.floor(now / 1000),
      status: truncated ? 'incomplete' : 'completed',
      error: null,
      incomplete_details: truncated ? { reason: 'max_output_tokens' } : null,
      instructions: null,
      max_output_tokens: params.maxTokens ?? null,
      model: params.model,
      output: [{ type: 'message', id: `msg_${id.slice(5)}`, status: truncated ? 'incomplete' : 'completed', role: 'assistant', content: [content] }],
      parallel_tool_calls: true,
      previous_response_id: null,
      service_tier: servedTier(params.extra.service_tier),
      store: false,
      temperature: params.temperature ?? 1,
      usage: {
        input_tokens: inputTokens,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: outputTokens,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: inputTokens + outputTokens,
      },
      metadata: {},
    });
  },
};

function readInput(input: unknown): ChatMessage[] | ApiErrorSpec {
  if (input === undefined) return [];
  if (typeof input === 'string') return [{ role: 'user', content: [{ type: 'text', text: input }] }];
  if (!Array.isArray(input)) return invalid("Invalid type for 'input': expected one of a string or array of input items.", 'input', 'invalid_type');
  const messages: ChatMessage[] = [];
  for (const [index, item] of input.entries()) {
    const param = `input[${index}]`;
    if (!isRecord(item)) return invalid(`Invalid type for '${param}': expected an object.`, param, 'invalid_type');
    const role = item.role === 'system' || item.role === 'developer' ? 'system' : item.role === 'assistant' ? 'assistant' : item.role === 'user' ? 'user' : undefined;
    if (role === undefined) return invalid(`Invalid value: '${String(item.role)}'. Supported values are: 'user', 'assistant', 'system', and 'developer'.`, `${param}.role`, 'invalid_value');
    const content = item.content;
    if (typeof content === 'string') {
      messages.push({ role, content: [{ type: 'text', text: content }] });
      continue;
    }
    if (!Array.isArray(content)) return invalid(`Missing required parameter: '${param}.content'.`, `${param}.content`, 'missing_required_parameter');
    const parts: ContentPart[] = [];
    for (const part of content) {
      if (!isRecord(part)) continue;
      if ((part.type === 'input_text' || part.type === 'output_text') && typeof part.text === 'string') parts.push({ type: 'text', text: part.text });
      else if (part.type === 'input_image' && typeof part.image_url === 'string') parts.push(imagePart(part.image_url));
      else if (part.type === 'image_url' || part.type === 'text') {
        // Chat Completions part types sent to the Responses endpoint: the real API rejects them.
        return invalid(`Invalid value: '${part.type}'. Supported values are: 'input_text', 'input_image', 'output_text', 'refusal', 'input_file', 'computer_screenshot', and 'summary_text'.`, `${param}.content[0].type`, 'invalid_value');
      }
    }
    messages.push({ role, content: parts });
  }
  return messages;
}

function toParams(body: Record<string, unknown>): RequestParams | ApiErrorSpec {
  const params: RequestParams = { model: body.model as string, extra: {} };
  if (body.max_tokens !== undefined || body.max_completion_tokens !== undefined) {
    return invalid("Unsupported parameter: 'max_tokens'. In the Responses API, this parameter has moved to 'max_output_tokens'.", 'max_tokens', 'unsupported_parameter');
  }
  if (body.response_format !== undefined) {
    return invalid("Unsupported parameter: 'response_format'. In the Responses API, this parameter has moved to 'text.format'.", 'response_format', 'unsupported_parameter');
  }
  if (typeof body.max_output_tokens === 'number') {
    if (body.max_output_tokens < 16) {
      return invalid(`Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got ${body.max_output_tokens} instead.`, 'max_output_tokens', 'integer_below_min_value');
    }
    params.maxTokens = body.max_output_tokens;
  }
  if (typeof body.temperature === 'number') params.temperature = body.temperature;
  if (typeof body.service_tier === 'string') params.extra.service_tier = body.service_tier;
  if (isRecord(body.reasoning)) params.extra.reasoning = body.reasoning;
  const format = isRecord(body.text) ? body.text.format : undefined;
  if (isRecord(format) && format.type === 'json_schema') {
    if (typeof format.name !== 'string') return invalid("Missing required parameter: 'text.format.name'.", 'text.format.name', 'missing_required_parameter');
    params.schema = { name: format.name, schema: isRecord(format.schema) ? format.schema : {} };
  } else if (isRecord(format) && format.type === 'json_object') {
    params.jsonOutput = true;
  }
  return params;
}
