/**
 * The in-process `mock` provider: no network, no key. Same answers as the mock server (`mockAnswer`),
 * after a simulated latency, so `llm-batch run … -m mock` shows the whole experience offline.
 */
import { zeroTokens } from '../usage/token-usage.js';
import { capToMaxTokens, mockAnswer } from '../mock/answer.js';
import type { ChatRequest, Completion, Provider, ProviderResponse } from './types.js';

export interface MockProviderOptions {
  /** Simulated latency per request: fixed ms, or uniform in [min, max]. @default {min:150,max:600} (visible progress in the demo) */
  latencyMs?: number | { min: number; max: number };
  /** @default Math.random */
  random?: () => number;
  /** Waits `ms`, rejecting when `signal` aborts. @default a setTimeout-based sleep */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const DEFAULT_LATENCY = { min: 150, max: 600 };

export function createMockProvider(options: MockProviderOptions = {}): Provider {
  const latency = options.latencyMs ?? DEFAULT_LATENCY;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? abortableSleep;
  return {
    id: 'mock',
    baseUrl: 'mock://local',
    async complete(request: ChatRequest, signal: AbortSignal): Promise<ProviderResponse> {
      if (signal.aborted) throw abortError(signal);
      const ms = typeof latency === 'number' ? latency : latency.min + random() * (latency.max - latency.min);
      if (ms > 0) await sleep(ms, signal);
      if (signal.aborted) throw abortError(signal);
      return respond(request);
    },
    close: async () => undefined,
  };
}

function respond(request: ChatRequest): ProviderResponse {
  return { completion: mockCompletion(request), headers: {}, status: 200 };
}

/** The mock's answer to `request` as a completion: shared by the realtime mock and the mock Batch API. */
export function mockCompletion(request: ChatRequest): Completion {
  const raw = mockAnswer(request);
  // Like the server's forced tool call, structured output is never cut short into invalid JSON.
  const answer = request.params.schema ? { ...raw, truncated: false } : capToMaxTokens(raw, request.params.maxTokens);
  return {
    text: answer.text,
    finishReason: answer.truncated ? 'length' : 'stop',
    truncated: answer.truncated,
    usage: { ...zeroTokens(), inputTokens: answer.usage.inputTokens, outputTokens: answer.usage.outputTokens },
    model: request.params.model,
    ...(answer.refused && { refusal: answer.text, text: '' }),
  };
}

/** An error named `AbortError` (what fetch and undici throw), carrying the abort reason as `cause`. */
function abortError(signal: AbortSignal): Error {
  const error = new Error('The operation was aborted', { cause: signal.reason });
  error.name = 'AbortError';
  return error;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
