/** Build the Batch API client for a run's provider settings. */
import type { Dispatcher } from 'undici';
import { createHttpClient } from '../../http/http-client.js';
import { AZURE_BATCH_ENDPOINTS, azureUrl, type AzureTarget } from '../azure.js';
import type { OpenAiApi } from '../openai-apis.js';
import type { ProviderId } from '../types.js';
import { createAnthropicBatchClient } from './anthropic-batch-client.js';
import { createMockBatchClient } from './mock-batch-client.js';
import { createOpenAiBatchClient } from './openai-batch-client.js';
import { OPENAI_BATCH_APIS } from './openai-batch-shapes.js';
import type { RetryPolicy } from './retry-call.js';
import type { BatchClient, BatchLimits } from './types.js';

export interface BatchClientSettings {
  provider: ProviderId;
  /** As resolved for realtime requests: OpenAI's with `/v1`, Anthropic's without. */
  baseUrl: string;
  /** Absent for `mock` only. Never logged. */
  apiKey?: string;
  /** Deadline of one control call, ms (`--timeout`). */
  timeoutMs: number;
  retry: RetryPolicy;
  /** Smaller per-batch limits than the provider's (tests, or to get results back sooner). */
  limits?: Partial<BatchLimits>;
  /** OpenAI: the Chat Completions or Responses endpoint. @default 'chat' */
  api?: OpenAiApi;
  /** Azure: the deployment and api-version; `baseUrl` is then the resource endpoint. */
  azure?: Omit<AzureTarget, 'endpoint'>;
  /** Send through this dispatcher (undici MockAgent in tests). */
  dispatcher?: Dispatcher;
}

/** An upload may carry 200 MB: its deadline is at least this, whatever `--timeout` says. */
const MIN_UPLOAD_TIMEOUT_MS = 10 * 60_000;
/** A few connections: control calls are sequential, downloads at most one per ended batch. */
const CONNECTIONS = 4;

export function createBatchClient(settings: BatchClientSettings): BatchClient {
  const { provider, baseUrl, apiKey, limits, retry } = settings;
  if (provider === 'mock') return createMockBatchClient({ limits });
  if (apiKey === undefined) throw new Error(`no API key resolved for ${provider}; resolveProviderSettings must run first`);
  const { timeoutMs } = settings;
  const http = createHttpClient({ connections: CONNECTIONS, timeoutMs, secrets: [apiKey], dispatcher: settings.dispatcher });
  const uploadTimeoutMs = Math.max(timeoutMs, MIN_UPLOAD_TIMEOUT_MS);
  if (provider === 'anthropic') return createAnthropicBatchClient({ baseUrl, apiKey, http, uploadTimeoutMs, retry, limits });
  const api = OPENAI_BATCH_APIS[settings.api ?? 'chat'];
  if (provider === 'openai') return createOpenAiBatchClient({ baseUrl, apiKey, http, uploadTimeoutMs, retry, limits, api });
  const target = { endpoint: baseUrl, ...(settings.azure ?? { deployment: '' }) };
  return createOpenAiBatchClient({
    baseUrl,
    apiKey,
    http,
    uploadTimeoutMs,
    retry,
    limits,
    api: { ...api, endpoint: AZURE_BATCH_ENDPOINTS[settings.api ?? 'chat'] },
    url: (path) => azureUrl(target, path),
    authHeaders: { 'api-key': apiKey },
  });
}
