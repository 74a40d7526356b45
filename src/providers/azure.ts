/**
 * Azure OpenAI: the OpenAI wire at a resource endpoint, with deployments for model names and an `api-key`
 * header. Two URL layouts, as Azure documents them:
 * - the v1 API (no api-version): `{endpoint}/openai/v1/chat/completions`, `/openai/v1/responses`,
 *   `/openai/v1/files`, `/openai/v1/batches`, with the deployment name as `model`;
 * - dated api-versions: `{endpoint}/openai/deployments/{deployment}/chat/completions?api-version=…`, and
 *   `{endpoint}/openai/{responses,files,batches}?api-version=…`.
 */
import { UsageError } from '../errors.js';
import type { OpenAiApi } from './openai-apis.js';

/** Where one Azure deployment is reached. */
export interface AzureTarget {
  /** `https://<resource>.openai.azure.com`, without a trailing slash or `/openai`. */
  endpoint: string;
  deployment: string;
  /** Set: the dated layout with `?api-version=`; unset: the v1 API. */
  apiVersion?: string;
}

/** The environment variables Azure's own SDKs and docs use. */
export const AZURE_ENV = {
  endpoint: 'AZURE_OPENAI_ENDPOINT',
  apiKey: 'AZURE_OPENAI_API_KEY',
  deployment: 'AZURE_OPENAI_DEPLOYMENT',
  apiVersion: ['OPENAI_API_VERSION', 'AZURE_OPENAI_API_VERSION'],
} as const;

/** The `endpoint` of a batch and the `url` of its lines, per API (Azure's batch docs omit `/v1`). */
export const AZURE_BATCH_ENDPOINTS: Readonly<Record<OpenAiApi, string>> = {
  chat: '/chat/completions',
  responses: '/responses',
};

/** Paths that live under the deployment in the dated layout. */
const DEPLOYMENT_PATHS: ReadonlySet<string> = new Set(['/chat/completions']);

/** The URL of an API path (`/chat/completions`, `/files`, `/batches?limit=100`) for `target`. */
export function azureUrl(target: AzureTarget, path: string): string {
  if (target.apiVersion === undefined) return `${target.endpoint}/openai/v1${path}`;
  const [route, query] = splitQuery(path);
  const prefix = DEPLOYMENT_PATHS.has(route) ? `/openai/deployments/${encodeURIComponent(target.deployment)}` : '/openai';
  const version = `api-version=${encodeURIComponent(target.apiVersion)}`;
  return `${target.endpoint}${prefix}${route}?${query === undefined ? version : `${query}&${version}`}`;
}

/** Azure's key header (Entra ID bearer tokens are not supported). */
export function azureHeaders(apiKey: string): Record<string, string> {
  return { 'api-key': apiKey, 'content-type': 'application/json' };
}

export interface AzureFlags {
  /** `--deployment`. */
  deployment?: string;
  /** `--api-version`. */
  apiVersion?: string;
  /** `-m`: the deployment when `--deployment` and `AZURE_OPENAI_DEPLOYMENT` are unset. */
  model?: string;
}

/** Deployment and api-version from flags, then the environment, then `-m`; the endpoint is resolved by the caller. */
export function resolveAzureDeployment(flags: AzureFlags, env: Record<string, string | undefined>): Omit<AzureTarget, 'endpoint'> {
  const deployment = nonEmpty(flags.deployment) ?? nonEmpty(env[AZURE_ENV.deployment]) ?? nonEmpty(flags.model);
  if (deployment === undefined) {
    throw new UsageError(`Azure needs a deployment: pass --deployment <name> (or -m <name>), or set ${AZURE_ENV.deployment}`);
  }
  const apiVersion = nonEmpty(flags.apiVersion) ?? AZURE_ENV.apiVersion.map((name) => nonEmpty(env[name])).find((value) => value !== undefined);
  return { deployment, ...(apiVersion !== undefined && { apiVersion }) };
}

/** An endpoint as users paste it: a trailing `/openai` or `/openai/v1` (from the portal or the SDK docs) is dropped. */
export function normaliseAzureEndpoint(endpoint: string): string {
  return endpoint.replace(/\/+$/, '').replace(/\/openai(\/v1)?$/, '');
}

function splitQuery(path: string): [string, string | undefined] {
  const mark = path.indexOf('?');
  return mark === -1 ? [path, undefined] : [path.slice(0, mark), path.slice(mark + 1)];
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}
