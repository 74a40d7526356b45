/**
 * Turn `--model`, `--provider`, `--base-url`, `--api-key-env` and the environment into the settings a
 * provider is built from (precedence: flag > environment > default). Runs once at the boundary; adapters
 * never read the environment themselves.
 */
import { modelSuggestion } from '../cost/suggest-model.js';
import { UsageError } from '../errors.js';
import { redactSecrets } from '../http/redact.js';
import { AZURE_ENV, normaliseAzureEndpoint, resolveAzureDeployment, type AzureTarget } from './azure.js';
import { isResponsesOnlyModel, OPENAI_APIS, type OpenAiApi } from './openai-apis.js';
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
  /** `--deployment` (Azure). */
  deployment?: string;
  /** `--api-version` (Azure); unset means Azure's v1 API. */
  apiVersion?: string;
  /** `--model-family`: the model prices are looked up under (an Azure deployment's underlying model). */
  modelFamily?: string;
  /** `--api`: OpenAI Chat Completions or the Responses API. @default `responses` for Responses-only models, else `chat` */
  api?: string;
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
  /** Azure: the deployment and api-version; `baseUrl` is then the resource endpoint. */
  azure?: Omit<AzureTarget, 'endpoint'>;
  /** The model prices are looked up under, when it is not `model` (`--model-family`, Azure's `-m`). */
  priceModel?: string;
  /** Which OpenAI API requests go to; always `chat` for Anthropic (and meaningless for the in-process mock). @default 'chat' */
  api?: OpenAiApi;
}

/** Resolve provider, model, base URL and key; throws `UsageError` with the fix when something is missing. */
export function resolveProviderSettings(
  flags: ProviderFlags,
  env: Record<string, string | undefined>,
  options: { requireKey?: boolean } = {},
): ProviderSettings {
  const { provider, model: named } = resolveProviderAndModel(flags);
  const api = resolveApi(flags.api, provider, named);
  const info = PROVIDERS[provider];
  const azure = provider === 'azure' ? resolveAzureDeployment({ deployment: flags.deployment, apiVersion: flags.apiVersion, model: named }, env) : undefined;
  // Azure's body names the deployment; the name given with -m (or --model-family) is the model it runs.
  const model = azure?.deployment ?? named;
  const priceModel = nonEmpty(flags.modelFamily) ?? (named !== model ? named : undefined);
  if (provider === 'azure' && flags.baseUrl === undefined && nonEmpty(env[AZURE_ENV.endpoint]) === undefined) {
    throw new UsageError(`Azure needs the resource endpoint: pass --base-url https://<resource>.openai.azure.com, or set ${AZURE_ENV.endpoint}`);
  }
  const rawBaseUrl = normaliseBaseUrl(flags.baseUrl ?? nonEmpty(info.baseUrlEnv && env[info.baseUrlEnv]) ?? info.defaultBaseUrl, flags.baseUrl !== undefined);
  const baseUrl = azure ? normaliseAzureEndpoint(rawBaseUrl) : rawBaseUrl;
  const extras = { ...(azure && { azure }), ...(priceModel !== undefined && { priceModel }) };
  if (provider === 'mock') return { provider, model, baseUrl, api, ...extras };

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
      `A dotenv file works too: a line ${apiKeyEnv}=… in it, and --env-file <path> (or LLM_BATCH_ENV_FILE=<path>).`,
      'Endpoints that need no key (a local vLLM or Ollama) accept any non-empty value.',
    ]);
  }
  return { provider, model, baseUrl, apiKey, apiKeyEnv, api, ...extras };
}

/** `--api` as given, else what the model data says; the Responses API is OpenAI's (and Azure's) only. */
function resolveApi(flag: string | undefined, provider: ProviderId, model: string): OpenAiApi {
  if (flag !== undefined && !(OPENAI_APIS as readonly string[]).includes(flag)) {
    throw new UsageError(`Expected \`--api\` to be one of ${OPENAI_APIS.join(', ')}, got \`${flag}\``);
  }
  if (provider === 'anthropic') {
    if (flag === 'responses') throw new UsageError('--api responses is an OpenAI API: Anthropic models take the Messages API (drop --api)');
    return 'chat';
  }
  return (flag as OpenAiApi | undefined) ?? (isResponsesOnlyModel(model) ? 'responses' : 'chat');
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
    throw new UsageError(`Cannot tell which provider serves the model "${model}"${modelSuggestion(model)}: pass --provider openai or --provider anthropic`, [
      'OpenAI-compatible endpoints (OpenRouter, vLLM, Ollama, DeepSeek, …) take --provider openai --base-url <url>.',
      'Azure OpenAI deployments take --provider azure.',
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
