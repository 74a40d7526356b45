/** The Batch API endpoints of both dialects, sharing one store of files and batches per server. */
import { anthropicBatchRoutes } from './batch-anthropic-routes.js';
import { openaiBatchRoutes } from './batch-openai-routes.js';
import { MockBatchStore } from './batch-store.js';
import type { Route } from './router.js';
import type { MockState } from './state.js';

export function batchRoutes(state: MockState): Route[] {
  const store = new MockBatchStore(state);
  return [...openaiBatchRoutes(state, store), ...anthropicBatchRoutes(state, store)];
}
