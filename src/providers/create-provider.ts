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

/** The provider for `settings`; `mock` runs in-process and needs no key. */
export async function createProvider(settings: ProviderSettings, options: CreateProviderOptions): Promise<Provider> {
  if (settings.provider === 'mock') return createMockProvider();
  if (settings.apiKey === undefined) {
    throw new Error(`no API key resolved for ${settings.provider}; resolveProviderSettings must run first`);
  }
  const wire = wireFor(settings.provider, settings.api);
  const azure = settings.azure && { url: azureUrl({ endpoint: settings.baseUrl, ...settings.azure }, wire.path), headers: azureHeaders(settings.apiKey) };
  return createHttpProvider({
    wire,
    ...azure,
    baseUrl: settings.baseUrl,
    apiKey: settings.apiKey,
    connections: options.connections,
    timeoutMs: options.timeoutMs,
    dispatcher: options.dispatcher,
  });
}
