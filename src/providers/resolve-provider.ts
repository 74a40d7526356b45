/**
 * Turn `--model`, `--provider`, `--base-url`, `--api-key-env` and the environment into the settings a
 * provider is built from (precedence: flag > environment > default). Runs once at the boundary; adapters
 * never read the environment themselves.
 */
import { UsageError } from '../errors.js';
import { redactSecrets } from '../http/redact.js';
import { inferProvider, isProviderId, PROVIDER_IDS, PROVIDERS } from './registry.js';
import type { ProviderId } from './types.js';

export interface ProviderFlags {
  /** `--model`, possibly with a `openai/`, `anthropic/` or `mock/` prefix. */
  model: string;
  /** `--provider`: when given, the model name is sent verbatim (OpenRouter-style `vendor/model` names). */
  provider?: string;
  /** `--base-url`. */
  baseUrl?: string;
  /** `--api-key-env`: the variable holding the key. @default the provider's (`OPENAI_API_KEY`, …) */
  apiKeyEnv?: string;
}

export interface ProviderSettings {
  provider: ProviderId;
  /** The model name exactly as it goes into the request body. */
  model: string;
  /** Without a trailing slash. */
  baseUrl: string;
  /** Absent for `mock`. Never print it. */
  apiKey?: string;
  /** Where the key came from, for messages ("set OPENAI_API_KEY"). */
  apiKeyEnv?: string;
}

/** Resolve provider, model, base URL and key; throws `UsageError` with the fix when something is missing. */
export function resolveProviderSettings(
  flags: ProviderFlags,
  env: Record<string, string | undefined>,
  options: { requireKey?: boolean } = {},
): ProviderSettings {
  const { provider, model } = resolveProviderAndModel(flags);
  const info = PROVIDERS[provider];
  const baseUrl = normaliseBaseUrl(flags.baseUrl ?? nonEmpty(info.baseUrlEnv && env[info.baseUrlEnv]) ?? info.defaultBaseUrl, flags.baseUrl !== undefined);
  if (provider === 'mock') return { provider, model, baseUrl };

  const apiKeyEnv = flags.apiKeyEnv ?? info.apiKeyEnv;
  if (apiKeyEnv === undefined) throw new Error(`provider table lacks an API key variable for ${provider}`);
  const apiKey = nonEmpty(env[apiKeyEnv]);
  // `preview`, `estimate` and `--dry-run` send nothing: it shows the key redacted, so a machine without one can still look.
  if (apiKey === undefined && options.requireKey === false) return { provider, model, baseUrl, apiKeyEnv };
  if (apiKey === undefined) {
    throw new UsageError(`Missing API key for ${provider}: set the ${apiKeyEnv} environment variable`, [
      flags.apiKeyEnv === undefined
        ? 'Or name another variable that holds the key with --api-key-env <NAME>.'
        : `--api-key-env names ${apiKeyEnv}, which is unset or empty.`,
      'Endpoints that need no key (a local vLLM or Ollama) accept any non-empty value.',
    ]);
  }
  return { provider, model, baseUrl, apiKey, apiKeyEnv };
}

function resolveProviderAndModel(flags: ProviderFlags): { provider: ProviderId; model: string } {
  const model = flags.model.trim();
  if (model === '') throw new UsageError('Expected `--model` to name a model, got an empty string');

  if (flags.provider !== undefined) {
    if (!isProviderId(flags.provider)) {
      throw new UsageError(`Expected \`--provider\` to be one of ${PROVIDER_IDS.join(', ')}, got \`${flags.provider}\``);
    }
    return { provider: flags.provider, model };
  }

  const slash = model.indexOf('/');
  const prefix = slash > 0 ? model.slice(0, slash) : undefined;
  if (prefix !== undefined && isProviderId(prefix)) {
    const stripped = model.slice(slash + 1);
    if (stripped === '' && prefix !== 'mock') throw new UsageError(`Expected a model name after "${prefix}/", got \`${model}\``);
    return { provider: prefix, model: stripped === '' ? 'mock' : stripped };
  }

  const inferred = inferProvider(model);
  if (inferred === undefined) {
    throw new UsageError(`Cannot tell which provider serves the model "${model}": pass --provider openai or --provider anthropic`, [
      'OpenAI-compatible endpoints (OpenRouter, vLLM, Ollama, DeepSeek, …) take --provider openai --base-url <url>.',
    ]);
  }
  return { provider: inferred, model };
}

const ALLOWED_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:', 'mock:']);

function normaliseBaseUrl(value: string, fromFlag: boolean): string {
  const trimmed = value.trim().replace(/\/+$/, '');
  if (trimmed === 'mock:') return 'mock://';
  if (!URL.canParse(trimmed) || !ALLOWED_PROTOCOLS.has(new URL(trimmed).protocol)) {
    // Users sometimes paste a URL with a key in its query string: never echo that back.
    const shown = redactSecrets(trimmed);
    throw new UsageError(`Expected ${fromFlag ? '`--base-url`' : 'the base URL'} to be an http(s) URL, got \`${shown}\``);
  }
  return trimmed;
}

function nonEmpty(value: string | undefined | false | ''): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
