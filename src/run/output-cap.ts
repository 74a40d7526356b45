import type { ChatRequest } from '../providers/types.js';

/**
 * The request as sent: with `cap` as max_tokens when the user set none. `--budget` needs a hard bound on
 * output; the cap is not part of what was asked, so it stays out of the fingerprint, the cache key and the
 * request hash, and a later `--resume` without `--budget` is the same run.
 */
export function withOutputCap(request: ChatRequest, cap: number | undefined): ChatRequest {
  if (cap === undefined || request.params.maxTokens !== undefined) return request;
  return { ...request, params: { ...request.params, maxTokens: cap } };
}
