/** The OpenAI Chat Completions dialect: `POST /v1/chat/completions`, `Authorization: Bearer`. */
import type { IncomingMessage } from 'node:http';
import type { ChatMessage, ContentPart, Role } from '../template/types.js';
import type { RequestParams } from '../providers/types.js';
import { lastUserText } from './answer.js';
import { MISSING_MODEL } from './missing-model.js';
import { BAD_GATEWAY, isRecord, type ApiErrorSpec, type Dialect, type ErrorKind, type ParsedRequest, type SuccessInput } from './dialect.js';
import { openaiRateLimitHeaders } from './rate-limit-headers.js';

const ERRORS: Record<Exclude<ErrorKind, 'bad_gateway'>, { status: number; type: string; code: string | null; message: string }> = {
  invalid_request: { status: 400, type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  authentication: {
    status: 401,
    type: 'invalid_request_error',
    code: 'invalid_api_key',
    // Real OpenAI echoes a masked key; we echo nothing so a key can never leak through a test log.
    message: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
  },
  not_found: { status: 404, type: 'invalid_request_error', code: null, message: 'Not found.' },
  rate_limit: { status: 429, type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached. Please try again later.' },
  quota: {
    status: 429,
    type: 'insufficient_quota',
    code: 'insufficient_quota',
    message:
      'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
  },
  server: { status: 500, type: 'server_error', code: null, message: 'The server had an error while processing your request. Sorry about that!' },
  unavailable: { status: 503, type: 'server_error', code: null, message: 'The server is overloaded or not ready yet.' },
  overloaded: { status: 529, type: 'server_error', code: null, message: 'Overloaded' },
};

const ROLES: Record<string, Role | null> = { system: 'system', developer: 'system', user: 'user', assistant: 'assistant', tool: null, function: null };

function invalid(message: string, param: string | null = null, code: string | null = null): ApiErrorSpec {
  return { kind: 'invalid_request', message, param, code };
}

export const openaiDialect: Dialect = {
  name: 'openai',
  requestIdHeader: 'x-request-id',
  idPrefix: 'chatcmpl-',
  sendsRetryAfterMs: true,
  malformedJsonMessage:
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",

  authenticate(req: IncomingMessage, apiKey: string | undefined): ApiErrorSpec | undefined {
    const header = req.headers.authorization ?? '';
    const key = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (key === '') {
      return {
        kind: 'authentication',
        code: null,
        message:
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      };
    }
    return apiKey !== undefined && key !== apiKey ? { kind: 'authentication' } : undefined;
  },

  parse(body: unknown): ParsedRequest | ApiErrorSpec {
    if (!isRecord(body)) return invalid('Invalid type for request body: expected an object.');
    if (typeof body.model !== 'string' || body.model === '') return invalid('you must provide a model parameter');
    if (MISSING_MODEL.test(body.model)) {
      // OpenAI's own words and code for a model the key cannot use.
      return { kind: 'not_found', code: 'model_not_found', message: `The model \`${body.model}\` does not exist or you do not have access to it.` };
    }
    if (body.messages === undefined) return invalid("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
    if (!Array.isArray(body.messages)) return invalid("Invalid type for 'messages': expected an array.", 'messages', 'invalid_type');
    if (body.messages.length === 0) {
      return invalid("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'messages', 'empty_array');
    }
    const messages: ChatMessage[] = [];
    for (let i = 0; i < body.messages.length; i++) {
      const message = toChatMessage(body.messages[i], i);
      if ('kind' in message) return message;
      if (message.role !== null) messages.push({ role: message.role, content: message.content });
    }
    const params = toParams(body, messages);
    if ('kind' in params) return params;
    return { chat: { messages, params }, prompt: lastUserText(messages), cacheBreakpoints: [] };
  },

  error(spec: ApiErrorSpec, _requestId: string) {
    if (spec.kind === 'bad_gateway') return BAD_GATEWAY;
    const base = ERRORS[spec.kind];
    const error = {
      message: spec.message ?? base.message,
      type: spec.type ?? base.type,
      param: spec.param ?? null,
      code: spec.code === undefined ? base.code : spec.code,
    };
    return { status: base.status, contentType: 'application/json', body: JSON.stringify({ error }) };
  },

  successBody({ parsed, answer, id, now }: SuccessInput): string {
    const { inputTokens, outputTokens } = answer.usage;
    // Assembled by hand: this runs for every request of every benchmark, and only the strings need escaping.
    return (
      `{"id":${JSON.stringify(id)},"object":"chat.completion","created":${Math.floor(now / 1000)},` +
      `"model":${JSON.stringify(parsed.chat.params.model)},"choices":[{"index":0,"message":{"role":"assistant",` +
      (answer.refused ? `"content":null,"refusal":${JSON.stringify(answer.text)}` : `"content":${JSON.stringify(answer.text)},"refusal":null`) +
      `,"annotations":[]},"logprobs":null,` +
      `"finish_reason":"${answer.truncated ? 'length' : 'stop'}"}],"usage":{"prompt_tokens":${inputTokens},` +
      `"completion_tokens":${outputTokens},"total_tokens":${inputTokens + outputTokens},` +
      `"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,` +
      `"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},` +
      `"service_tier":"${servedTier(parsed.chat.params.extra.service_tier)}","system_fingerprint":"fp_mock0001"}`
    );
  },

  rateLimitHeaders(limits, _now, headers) {
    openaiRateLimitHeaders(limits, headers as Record<string, string>);
  },
};

function toChatMessage(raw: unknown, index: number): { role: Role | null; content: ContentPart[] } | ApiErrorSpec {
  const param = `messages[${index}]`;
  if (!isRecord(raw)) return invalid(`Invalid type for '${param}': expected an object.`, param, 'invalid_type');
  const role = typeof raw.role === 'string' ? ROLES[raw.role] : undefined;
  if (role === undefined) {
    return invalid(`Invalid value: '${String(raw.role)}'. Supported values are: 'system', 'developer', 'user', 'assistant', 'tool'.`, `${param}.role`, 'invalid_value');
  }
  const content = raw.content;
  if (typeof content === 'string') return { role, content: [{ type: 'text', text: content }] };
  if (content === null || content === undefined) {
    return role === 'assistant' || role === null ? { role, content: [] } : invalid(`Missing required parameter: '${param}.content'.`, `${param}.content`, 'missing_required_parameter');
  }
  if (!Array.isArray(content)) return invalid(`Invalid type for '${param}.content': expected one of a string or array of objects.`, `${param}.content`, 'invalid_type');
  const parts: ContentPart[] = [];
  for (const part of content) {
    if (!isRecord(part)) continue;
    if (part.type === 'text' && typeof part.text === 'string') parts.push({ type: 'text', text: part.text });
    else if (part.type === 'image_url' && isRecord(part.image_url) && typeof part.image_url.url === 'string') parts.push(imagePart(part.image_url.url));
  }
  return { role, content: parts };
}

/** An image URL from the wire → our content part (`data:` URLs split into media type and base64). */
export function imagePart(url: string): ContentPart {
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return data ? { type: 'image', mediaType: data[1], base64: data[2] } : { type: 'image', url };
}

function toParams(body: Record<string, unknown>, messages: ChatMessage[]): RequestParams | ApiErrorSpec {
  const params: RequestParams = { model: body.model as string, extra: {} };
  if (typeof body.service_tier === 'string') params.extra.service_tier = body.service_tier;
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (typeof maxTokens === 'number') params.maxTokens = maxTokens;
  if (body.temperature !== undefined && body.temperature !== null) {
    if (typeof body.temperature !== 'number' || body.temperature < 0 || body.temperature > 2) {
      return invalid(`Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got ${String(body.temperature)} instead.`, 'temperature', 'decimal_above_max_value');
    }
    params.temperature = body.temperature;
  }
  const format = body.response_format;
  if (isRecord(format) && format.type === 'json_schema') {
    const spec = format.json_schema;
    if (!isRecord(spec) || typeof spec.name !== 'string') {
      return invalid("Missing required parameter: 'response_format.json_schema.name'.", 'response_format.json_schema.name', 'missing_required_parameter');
    }
    params.schema = { name: spec.name, schema: isRecord(spec.schema) ? spec.schema : {} };
  } else if (isRecord(format) && format.type === 'json_object') {
    // A real OpenAI rule, kept because it catches clients that forget to ask for JSON in the prompt.
    const mentionsJson = messages.some((m) => m.content.some((p) => p.type === 'text' && /json/i.test(p.text)));
    if (!mentionsJson) {
      return invalid("'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", 'messages');
    }
    params.jsonOutput = true;
  }
  return params;
}

/** The tier a response reports: the one asked for, `default` for `auto` or none (as OpenAI answers). */
export function servedTier(requested: unknown): string {
  return requested === 'flex' || requested === 'priority' ? requested : 'default';
}
