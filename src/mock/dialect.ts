/**
 * A provider's wire dialect as the mock server speaks it: auth, request parsing, success and error
 * bodies, rate-limit headers. The completion pipeline is shared; only these translations differ.
 */
import type { IncomingMessage } from 'node:http';
import type { ChatRequest } from '../providers/types.js';
import type { MockAnswer } from './answer.js';
import type { CacheBreakpoint, CacheUsage } from './prompt-cache.js';
import type { LimitState } from './rate-limits.js';

/** Provider-neutral error kinds; each dialect maps them to its status, type and code. */
export type ErrorKind =
  | 'invalid_request'
  | 'authentication'
  | 'not_found'
  | 'rate_limit'
  | 'quota'
  | 'server'
  | 'bad_gateway'
  | 'unavailable'
  | 'overloaded';

export interface ApiErrorSpec {
  kind: ErrorKind;
  /** @default the provider's usual message for the kind */
  message?: string;
  /** OpenAI `error.code` override (`null` allowed). */
  code?: string | null;
  /** OpenAI `error.type` override (rate limits say `requests` or `tokens`). */
  type?: string;
  param?: string | null;
}

export interface ParsedRequest {
  chat: ChatRequest;
  /** Text of the last user message: the stats key and where markers are looked for. */
  prompt: string;
  /** Anthropic forced tool choice: answer with a `tool_use` block for this tool. */
  toolName?: string;
  /** Anthropic `cache_control` breakpoints, in prompt order. */
  cacheBreakpoints: CacheBreakpoint[];
}

export interface SuccessInput {
  parsed: ParsedRequest;
  answer: MockAnswer & { truncated: boolean };
  cache: CacheUsage;
  /** A fresh response id with the dialect's prefix. */
  id: string;
  now: number;
}

export interface ErrorResponse {
  status: number;
  body: string;
  contentType: string;
}

export interface Dialect {
  readonly name: 'openai' | 'anthropic';
  /** Header that carries the request id (`x-request-id` / `request-id`). */
  readonly requestIdHeader: string;
  /** Response id prefix (`chatcmpl-` / `msg_`). */
  readonly idPrefix: string;
  /** OpenAI also sends `retry-after-ms` on 429. */
  readonly sendsRetryAfterMs: boolean;
  /** The 400 message for a body that is not JSON. */
  readonly malformedJsonMessage: string;
  /** An error when the request's credentials are missing or (with `apiKey` set) wrong. */
  authenticate(req: IncomingMessage, apiKey: string | undefined): ApiErrorSpec | undefined;
  /** The request as a `ChatRequest`, or the 400 a real provider would give it. */
  parse(body: unknown, req: IncomingMessage): ParsedRequest | ApiErrorSpec;
  error(spec: ApiErrorSpec, requestId: string): ErrorResponse;
  successBody(input: SuccessInput): string;
  rateLimitHeaders(limits: readonly LimitState[], now: number, headers: Record<string, string | number>): void;
}

export function isErrorSpec(value: ParsedRequest | ApiErrorSpec): value is ApiErrorSpec {
  return 'kind' in value;
}

/** 502s come from the CDN in front of both providers, as HTML: clients must cope with non-JSON errors. */
export const BAD_GATEWAY: ErrorResponse = {
  status: 502,
  contentType: 'text/html',
  body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n',
};

/** Plain object check for request bodies. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
