/**
 * Build the provider a run talks to from resolved settings (see `resolve-provider.ts`).
 */
import type { Dispatcher } from 'undici';
import { anthropicWire } from './anthropic-wire.js';
import { azureHeaders, azureUrl } from './azure.js';
import { createHttpProvider } from './http-provider.js';
import { createMockProvider } from './mock.js';
import { openaiWire } from './openai-wire.js';
import type { ProviderSettings } from './resolve-provider.js';
import { responsesWire } from './responses-wire.js';
import type { Provider, WireFormat } from './types.js';

export interface CreateProviderOptions {
  /** Most open connections: the run's concurrency. */
  connections: number;
  /** Deadline per request, in ms (`--timeout` × 1000). */
  timeoutMs: number;
  /** Send through this dispatcher instead of a keep-alive `Agent` (tests). */
  dispatcher?: Dispatcher;
}

/** The wire a provider and API speak. */
export function wireFor(provider: Exclude<ProviderSettings['provider'], 'mock'>, api: ProviderSettings['api']): WireFormat {
  if (provider === 'anthropic') return anthropicWire;
  return api === 'responses' ? responsesWire : openaiWire;
}

/** Where an HTTP provider sends: its provider, base URL, API and (Azure) deployment. */
export type RequestTarget = Pick<ProviderSettings, 'baseUrl' | 'api' | 'azure'> & { provider: Exclude<ProviderSettings['provider'], 'mock'> };

/** The wire, URL and headers `createProvider` uses for `target` (also what `preview` shows, key redacted). */
export function requestTarget(target: RequestTarget, apiKey: string): { wire: WireFormat; url: string; headers: Record<string, string> } {
  const wire = wireFor(target.provider, target.api);
  if (target.azure) return { wire, url: azureUrl({ endpoint: target.baseUrl, ...target.azure }, wire.path), headers: azureHeaders(apiKey) };
  return { wire, url: `${target.baseUrl}${wire.path}`, headers: wire.headers(apiKey) };
}

/** The provider for `settings`; `mock` runs in-process and needs no key. */
export async function createProvider(settings: ProviderSettings, options: CreateProviderOptions): Promise<Provider> {
  if (settings.provider === 'mock') return createMockProvider();
  if (settings.apiKey === undefined) {
    throw new Error(`no API key resolved for ${settings.provider}; resolveProviderSettings must run first`);
  }
  return createHttpProvider({
    ...requestTarget({ ...settings, provider: settings.provider }, settings.apiKey),
    baseUrl: settings.baseUrl,
    apiKey: settings.apiKey,
    connections: options.connections,
    timeoutMs: options.timeoutMs,
    dispatcher: options.dispatcher,
  });
}
