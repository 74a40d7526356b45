/** Build the Batch API client for a run's provider settings. */
import type { Dispatcher } from 'undici';
import { createHttpClient } from '../../http/http-client.js';
import type { ProviderId } from '../types.js';
import { createAnthropicBatchClient } from './anthropic-batch-client.js';
import { createMockBatchClient } from './mock-batch-client.js';
import { createOpenAiBatchClient } from './openai-batch-client.js';
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
  return provider === 'openai'
    ? createOpenAiBatchClient({ baseUrl, apiKey, http, uploadTimeoutMs, retry, limits })
    : createAnthropicBatchClient({ baseUrl, apiKey, http, uploadTimeoutMs, retry, limits });
}
