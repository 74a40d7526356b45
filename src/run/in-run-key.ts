import type { ChatRequest } from '../providers/types.js';

/**
 * The in-run dedup key when there is no response cache: identical requests of this run share one call.
 * The cache's key (canonical JSON + sha256) is built to last across runs and machines; within one
 * process, requests are built by the same code, so equal requests serialise equally and plain JSON is
 * enough. A differently ordered equal request would only miss the dedup, never merge two different
 * ones. Measured: the cache key was ~7% of a zero-latency run's CPU; this is a small fraction of that.
 */
export function inRunKey(request: ChatRequest): string {
  return JSON.stringify(request);
}
