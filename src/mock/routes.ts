/** Every endpoint the mock serves. To add endpoints, see the note at the top of `router.ts`. */
import { adminRoutes } from './admin-routes.js';
import { anthropicDialect } from './anthropic-dialect.js';
import { batchRoutes } from './batch-routes.js';
import { handleCompletion } from './completion-handler.js';
import type { Exchange } from './exchange.js';
import { openaiDialect } from './openai-dialect.js';
import { responsesDialect } from './responses-dialect.js';
import type { Route } from './router.js';
import type { MockState } from './state.js';

export function createRoutes(state: MockState): Route[] {
  return [
    ...adminRoutes(state),
    { method: 'POST', path: '/v1/chat/completions', handler: (ex) => handleCompletion(openaiDialect, state, ex) },
    { method: 'POST', path: '/v1/responses', handler: (ex) => handleCompletion(responsesDialect, state, ex) },
    { method: 'POST', path: '/v1/messages', handler: (ex) => handleCompletion(anthropicDialect, state, ex) },
    ...batchRoutes(state),
  ];
}

/** 404 in the shape of the provider the client seems to be talking to. */
export function notFound(state: MockState, ex: Exchange): void {
  const { req, path } = ex;
  if (path.startsWith('/__mock/')) return ex.sendJson(404, { error: { message: `No mock admin endpoint ${req.method} ${path}` } });
  const anthropic = path.startsWith('/v1/messages') || req.headers['anthropic-version'] !== undefined || req.headers['x-api-key'] !== undefined;
  const dialect = anthropic ? anthropicDialect : openaiDialect;
  const requestId = state.ids.next('req_');
  const error = dialect.error({ kind: 'not_found', message: anthropic ? 'Not found' : `Invalid URL (${req.method} ${path})` }, requestId);
  ex.send(error.status, { [dialect.requestIdHeader]: requestId }, error.body, error.contentType);
}
