/**
 * What llm-batch knows about each provider, as data: where it lives, where its key and base URL come from,
 * and which model names belong to it. Code reads this table; adding an alias is a one-line change.
 */
import type { ProviderId } from './types.js';

export interface ProviderInfo {
  id: ProviderId;
  /** Used when neither `--base-url` nor the base URL variable is set. */
  defaultBaseUrl: string;
  /** Environment variable holding the API key; absent for providers that need none. */
  apiKeyEnv?: string;
  /** Environment variable overriding the base URL, as the provider's own SDK reads it. */
  baseUrlEnv?: string;
  /** Model names this provider serves, for inference when neither `--provider` nor a prefix says. */
  modelPatterns: readonly RegExp[];
}

export const PROVIDERS: Readonly<Record<ProviderId, ProviderInfo>> = {
  openai: {
    id: 'openai',
    // Includes /v1, as OPENAI_BASE_URL does in the OpenAI SDK.
    defaultBaseUrl: 'https://api.openai.com/v1',
    apiKeyEnv: 'OPENAI_API_KEY',
    baseUrlEnv: 'OPENAI_BASE_URL',
    modelPatterns: [/^gpt-/, /^o1/, /^o3/, /^o4/, /^chatgpt-/, /^text-/, /^ft:/],
  },
  anthropic: {
    id: 'anthropic',
    // Without /v1, as ANTHROPIC_BASE_URL is in the Anthropic SDK; the wire format adds /v1/messages.
    defaultBaseUrl: 'https://api.anthropic.com',
    apiKeyEnv: 'ANTHROPIC_API_KEY',
    baseUrlEnv: 'ANTHROPIC_BASE_URL',
    modelPatterns: [/^claude-/],
  },
  azure: {
    id: 'azure',
    // No default: every Azure resource has its own endpoint (`https://<resource>.openai.azure.com`).
    defaultBaseUrl: '',
    apiKeyEnv: 'AZURE_OPENAI_API_KEY',
    baseUrlEnv: 'AZURE_OPENAI_ENDPOINT',
    // Deployments have names their owners chose: Azure is never inferred from a model name.
    modelPatterns: [],
  },
  mock: {
    id: 'mock',
    defaultBaseUrl: 'mock://',
    modelPatterns: [/^mock/],
  },
};

export const PROVIDER_IDS = Object.keys(PROVIDERS) as ProviderId[];

/** True when `value` names a provider (`--provider` validation, model prefixes). */
export function isProviderId(value: string): value is ProviderId {
  return Object.hasOwn(PROVIDERS, value);
}

/** The provider whose model patterns match `model`, if any. */
export function inferProvider(model: string): ProviderId | undefined {
  return PROVIDER_IDS.find((id) => PROVIDERS[id].modelPatterns.some((pattern) => pattern.test(model)));
}
