/**
 * Output-token ceilings. Kept apart from `token-estimate.ts` so that code needing only these numbers does
 * not load the tokenizer (~0.5 s of start-up).
 */
import type { ProviderId, RequestParams } from '../providers/types.js';

/**
 * Worst case when no max_tokens is sent. Anthropic always gets 1024 (SPEC §5); OpenAI would allow the
 * model's whole output window, so a budgeted run sends max_tokens (see `estimateWorstCaseOutputTokens`).
 */
export const DEFAULT_WORST_CASE_OUTPUT_TOKENS: Readonly<Record<ProviderId, number>> = {
  openai: 4096,
  anthropic: 1024,
  azure: 4096,
  mock: 4096,
};

/**
 * The most output tokens a request can bill: max_tokens, else the provider's default ceiling. This is
 * what the budget reserves, so an OpenAI run without max_tokens is only safe up to that ceiling.
 */
export function estimateWorstCaseOutputTokens(params: Pick<RequestParams, 'maxTokens' | 'schema'>, provider: ProviderId = 'openai'): number {
  return params.maxTokens ?? DEFAULT_WORST_CASE_OUTPUT_TOKENS[provider];
}
