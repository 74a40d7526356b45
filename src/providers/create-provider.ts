/**
 * Build the provider a run talks to from resolved settings (see `resolve-provider.ts`).
 */
import type { Dispatcher } from 'undici';
import { anthropicWire } from './anthropic-wire.js';
import { createHttpProvider } from './http-provider.js';
import { createMockProvider } from './mock.js';
import { openaiWire } from './openai-wire.js';
import type { ProviderSettings } from './resolve-provider.js';
import type { Provider, WireFormat } from './types.js';

export interface CreateProviderOptions {
  /** Most open connections: the run's concurrency. */
  connections: number;
  /** Deadline per request, in ms (`--timeout` × 1000). */
  timeoutMs: number;
  /** Send through this dispatcher instead of a keep-alive `Agent` (tests). */
  dispatcher?: Dispatcher;
}

const WIRES: Readonly<Record<'openai' | 'anthropic', WireFormat>> = { openai: openaiWire, anthropic: anthropicWire };

/** The wire format that `createProvider` speaks for an HTTP provider (what `preview` shows). */
export function wireOf(provider: 'openai' | 'anthropic'): WireFormat {
  return WIRES[provider];
}

/** The provider for `settings`; `mock` runs in-process and needs no key. */
export async function createProvider(settings: ProviderSettings, options: CreateProviderOptions): Promise<Provider> {
  if (settings.provider === 'mock') return createMockProvider();
  if (settings.apiKey === undefined) {
    throw new Error(`no API key resolved for ${settings.provider}; resolveProviderSettings must run first`);
  }
  return createHttpProvider({
    wire: WIRES[settings.provider],
    baseUrl: settings.baseUrl,
    apiKey: settings.apiKey,
    connections: options.connections,
    timeoutMs: options.timeoutMs,
    dispatcher: options.dispatcher,
  });
}
