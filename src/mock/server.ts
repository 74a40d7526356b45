/**
 * The project's own OpenAI- and Anthropic-compatible mock API server: the test double for e2e tests
 * and benchmarks, and `llm-batch mock-server`. Plain `node:http` with long keep-alive, so a single
 * process answers tens of thousands of requests per second and benchmarks measure the client.
 *
 * OpenAI base URL: `${url}/v1`; Anthropic base URL: `${url}`. Admin: `GET /__mock/stats`,
 * `POST /__mock/reset`, `GET|POST /__mock/config`, `GET /__mock/health`, `GET /__mock/requests` (the last
 * chat request bodies, oldest first, credentials left out).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Exchange, type Outcome } from './exchange.js';
import type { MockBehaviour, MockConfigPatch, MockServerOptions } from './options.js';
import { routeAzure, translateAzureCredentials, withDeploymentModel } from './azure-paths.js';
import { Router, type RouteMatch } from './router.js';
import { createRoutes, notFound } from './routes.js';
import { MockState } from './state.js';
import type { RecordedRequest } from './recent-requests.js';
import type { MockStats } from './stats.js';

export interface MockServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  stats(): MockStats;
  /** The last chat requests received (up to `RECENT_REQUESTS`), oldest first. */
  requests(): RecordedRequest[];
  /** Zero the stats and forget flaky attempt counts, prompt cache and rate-limit usage. */
  resetStats(): void;
  /** Change options at runtime (validated; throws a `TypeError` naming a bad option). `null` unsets. */
  configure(patch: MockConfigPatch): MockBehaviour;
  /** The effective options. */
  options(): MockBehaviour;
  /** Stop listening and drop every connection, hanging ones included. */
  close(): Promise<void>;
}

// Longer than any client's idle timeout (undici: 4 s), so the client, never the server, closes an idle
// connection: otherwise a request can race a server-side close and fail with a spurious reset.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Start a mock server on 127.0.0.1 (port 0 = any free port). Options are validated up front. */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const { port = 0, host = '127.0.0.1', ...patch } = options;
  const state = new MockState(patch);
  const router = new Router(createRoutes(state));
  const server = createServer({ noDelay: true, keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, (req, res) => dispatch(state, router, req, res));
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
  await listen(server, port, host);
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    stats: () => state.stats.snapshot(),
    requests: () => state.recentRequests.list(),
    resetStats: () => state.reset(),
    configure: (next) => state.configure(next),
    options: () => state.behaviour,
    close: () => close(server),
  };
}

function dispatch(state: MockState, router: Router, req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  const azure = routeAzure(path, query === -1 ? '' : url.slice(query + 1));
  if (azure.kind !== 'none') translateAzureCredentials(req);
  const match = azure.kind === 'missing-api-version' ? MISSING_API_VERSION : router.find(req.method ?? 'GET', azure.kind === 'azure' ? azure.path : path);
  const counted = match ? match.route.counted !== false : !path.startsWith('/__mock/');
  let onEnd: ((outcome: Outcome) => void) | undefined;
  if (counted) {
    state.stats.begin(path, Date.now());
    onEnd = (outcome) => state.stats.end(outcome);
  }
  readBody(req, onEnd, (body) => {
    const ex = new Exchange(req, res, path, azure.kind === 'azure' ? withDeploymentModel(body, azure.deployment) : body, onEnd);
    try {
      const result = match ? match.route.handler(ex, match.params) : notFound(state, ex);
      if (result instanceof Promise) result.catch((error: unknown) => internalError(ex, error));
    } catch (error) {
      internalError(ex, error);
    }
  });
}

/** Azure answers a dated path without `api-version` with a 404 naming the parameter. */
const MISSING_API_VERSION: RouteMatch = {
  params: [],
  route: {
    method: 'GET',
    path: '',
    handler: (ex: Exchange) =>
      ex.sendJson(404, { error: { code: '404', message: 'Resource not found: the api-version query parameter is required on this path (or use /openai/v1/).' } }),
  },
};

function readBody(req: IncomingMessage, onEnd: ((outcome: Outcome) => void) | undefined, then: (body: string) => void): void {
  const chunks: Buffer[] = [];
  let complete = false;
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    complete = true;
    then(chunks.length === 0 ? '' : chunks.length === 1 ? chunks[0].toString() : Buffer.concat(chunks).toString());
  });
  // The client left before sending the whole request: nothing to answer, but the exchange still ends.
  req.on('close', () => {
    if (!complete) onEnd?.('aborted');
  });
  req.on('error', () => undefined);
}

function internalError(ex: Exchange, error: unknown): void {
  if (ex.res.headersSent) return ex.reset();
  ex.sendJson(500, { error: { message: `mock server error: ${(error as Error)?.message ?? String(error)}`, type: 'server_error' } });
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
