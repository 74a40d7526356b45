import type { TokenCounts } from '../usage/token-usage.js';
import type { ChatMessage } from '../template/types.js';

/** A wire protocol. `mock` is in-process and needs no network or key. */
export type ProviderId = 'openai' | 'anthropic' | 'azure' | 'mock';

/** Structured output: the answer must satisfy this JSON Schema. */
export interface OutputSchema {
  /** `[a-zA-Z0-9_-]{1,64}`; used as OpenAI's json_schema name and Anthropic's tool name. */
  name: string;
  /** What goes on the wire: always an object at the root (see `output-schema.ts`). */
  schema: Record<string, unknown>;
  /** Set when the user's schema was wrapped: `parsed` is this property of the answer. */
  unwrap?: string;
}

/** Everything besides the messages that goes into a request (and into the cache key). */
export interface RequestParams {
  model: string;
  maxTokens?: number;
  temperature?: number;
  /** `--param k=v` and front-matter `config` keys, sent as-is in the request body. */
  extra: Record<string, unknown>;
  schema?: OutputSchema;
  /** JSON output without a schema (`output.format: json`). */
  jsonOutput?: boolean;
}

export interface ChatRequest {
  messages: ChatMessage[];
  params: RequestParams;
}

/**
 * Token usage normalised across providers (SPEC §6). `inputTokens` counts ALL input tokens, including
 * cache reads and cache writes; `outputTokens` includes reasoning tokens.
 */
export interface Usage extends TokenCounts {
  /** Cost the gateway itself reported (OpenRouter `usage.cost`), USD; wins over our price table. */
  reportedCostUsd?: number;
}

export interface Completion {
  /** The answer text (for Anthropic forced-tool output: the tool input serialised as JSON). */
  text: string;
  /** The provider's own finish reason: `stop`, `length`, `end_turn`, `max_tokens`, `tool_use`, … */
  finishReason: string;
  /** The answer was cut off by the token limit (`length` / `max_tokens`). */
  truncated: boolean;
  usage: Usage;
  /** The model that answered, as the provider reports it. */
  model: string;
  /**
   * The model declined to answer (OpenAI `message.refusal`, Anthropic `stop_reason: "refusal"`): its
   * explanation. A refusal is never recorded as an answer; it becomes a `refusal` dead letter.
   */
  refusal?: string;
  /** The service tier that served the request, as OpenAI reports it (`default`, `flex`, `priority`). */
  serviceTier?: string;
}

/** A completion plus the response headers (rate-limit headers feed the scheduler). */
export interface ProviderResponse {
  completion: Completion;
  headers: Record<string, string>;
  status: number;
}

/**
 * The small interface the run engine talks to. Failures reject with the errors in `http/errors.ts`
 * (`ApiError`, `NetworkError`, `TimeoutError`, `MalformedResponseError`); the retry layer classifies them.
 */
export interface Provider {
  readonly id: ProviderId;
  /** Base URL requests go to (`mock://` for the in-process provider); part of the cache key. */
  readonly baseUrl: string;
  complete(request: ChatRequest, signal: AbortSignal): Promise<ProviderResponse>;
  close(): Promise<void>;
}

/**
 * Pure translation between our `ChatRequest` and one provider's JSON (realtime and Batch APIs share it).
 */
export interface WireFormat {
  readonly id: 'openai' | 'anthropic';
  /** Path appended to the base URL: `/chat/completions` (OpenAI base includes /v1) or `/v1/messages`. */
  readonly path: string;
  headers(apiKey: string): Record<string, string>;
  buildBody(request: ChatRequest): Record<string, unknown>;
  /** Parse a 2xx body. Throws `MalformedResponseError` when it is not a complete answer. */
  parseCompletion(body: unknown): Completion;
}
