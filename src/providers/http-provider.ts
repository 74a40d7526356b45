/**
 * A `Provider` that speaks a `WireFormat` over HTTP: build the body, POST it, parse the answer. Failures
 * reject with the typed errors of `http/errors.ts`; retrying is not done here, and neither is checking
 * structured output: the run engine does that once for every provider (`validate-output.ts`).
 */
import type { Dispatcher } from 'undici';
import { createHttpClient } from '../http/http-client.js';
import type { ChatRequest, Provider, ProviderResponse, WireFormat } from './types.js';

export interface HttpProviderOptions {
  wire: WireFormat;
  /** Without a trailing slash; the wire format's path is appended. */
  baseUrl: string;
  apiKey: string;
  /** The full request URL when it is not `baseUrl + wire.path` (Azure's deployment paths). */
  url?: string;
  /** Request headers when they are not the wire's (Azure's `api-key`). */
  headers?: Record<string, string>;
  /** Most open connections: size it to the run's concurrency. */
  connections: number;
  /** Deadline per request, in ms. */
  timeoutMs: number;
  /** Send through this dispatcher instead of a keep-alive `Agent` (undici `MockAgent` in tests). */
  dispatcher?: Dispatcher;
}

/** Create the realtime provider for OpenAI- or Anthropic-style endpoints. */
export function createHttpProvider(options: HttpProviderOptions): Provider {
  const { wire, baseUrl, apiKey, timeoutMs } = options;
  const url = options.url ?? `${baseUrl}${wire.path}`;
  const headers = options.headers ?? wire.headers(apiKey);
  const client = createHttpClient({
    connections: options.connections,
    timeoutMs,
    secrets: [apiKey],
    dispatcher: options.dispatcher,
  });

  async function complete(request: ChatRequest, signal: AbortSignal): Promise<ProviderResponse> {
    const response = await client.postJson(url, headers, wire.buildBody(request), { signal, timeoutMs });
    const parsed = wire.parseCompletion(response.body);
    // Some compatible servers omit `model`; the one we asked for is the best answer then.
    const completion = parsed.model === '' ? { ...parsed, model: request.params.model } : parsed;
    return { completion, headers: response.headers, status: response.status };
  }

  return { id: wire.id, baseUrl, complete, close: () => client.close() };
}
