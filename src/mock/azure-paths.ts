/**
 * Azure OpenAI as the mock plays it: its paths and credentials translated onto the OpenAI routes, so every
 * OpenAI endpoint (Chat Completions, Responses, files, batches) is also served the Azure way.
 * - `/openai/v1/…` (the v1 API) → `/v1/…`;
 * - `/openai/deployments/{deployment}/chat/completions?api-version=…` → `/v1/chat/completions`;
 * - `/openai/{responses,files,batches}…?api-version=…` → `/v1/…`.
 * The key comes in an `api-key` header; a Bearer header is not an Azure key and is dropped.
 */
import type { IncomingMessage } from 'node:http';

export type AzureRoute =
  /** Not an Azure path: route it as it is. */
  | { kind: 'none' }
  | { kind: 'azure'; path: string; deployment?: string }
  /** A dated path without `api-version`, which Azure refuses. */
  | { kind: 'missing-api-version' };

const DEPLOYMENT_PATH = /^\/openai\/deployments\/([^/]+)(\/.*)$/;

/** Where an Azure request goes among the OpenAI routes. */
export function routeAzure(path: string, query: string): AzureRoute {
  if (!path.startsWith('/openai/')) return { kind: 'none' };
  if (path.startsWith('/openai/v1/')) return { kind: 'azure', path: path.slice('/openai'.length) };
  if (!new URLSearchParams(query).has('api-version')) return { kind: 'missing-api-version' };
  const deployment = DEPLOYMENT_PATH.exec(path);
  if (deployment) return { kind: 'azure', path: `/v1${deployment[2]}`, deployment: decodeURIComponent(deployment[1]) };
  return { kind: 'azure', path: `/v1${path.slice('/openai'.length)}` };
}

/** Present Azure's `api-key` to the OpenAI routes as the credential they check. */
export function translateAzureCredentials(req: IncomingMessage): void {
  const key = req.headers['api-key'];
  if (typeof key === 'string' && key !== '') req.headers.authorization = `Bearer ${key}`;
  else delete req.headers.authorization;
}

/** The body of a deployment-path request names its deployment as the model, as Azure implies it. */
export function withDeploymentModel(body: string, deployment: string | undefined): string {
  if (deployment === undefined || body === '') return body;
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || 'model' in parsed) return body;
    return JSON.stringify({ ...parsed, model: deployment });
  } catch {
    return body;
  }
}
