import { computeCacheKey } from '../cache/cache-key.js';
import { openResponseCache } from '../cache/response-cache.js';
import {
  addEstimateItem,
  createEstimateTotals,
  summarizeEstimate,
  type EstimateSummary,
} from '../cost/estimate-summary.js';
import type { ModelPrice } from '../cost/prices.js';
import { priceForTier } from '../cost/service-tiers.js';
import { estimateOutputTokens, estimateRequestInputTokens } from '../cost/token-estimate.js';
import { UsageError } from '../errors.js';
import { formatProblems, prescan } from '../input/prescan.js';
import type { ChatRequest } from '../providers/types.js';
import type { PromptTemplate } from '../template/types.js';
import type { EventSink } from './events.js';
import type { RunConfig } from './run-config.js';
import { applySample } from './apply-sample.js';
import { resolveRunPrices } from './resolve-run-price.js';

export interface EstimateReport {
  summary: EstimateSummary;
  price: ModelPrice | null;
  model: string;
  provider: RunConfig['provider'];
  /** Items in scope (after --shard and --limit). */
  total: number;
  /** Bad rows found by the scan (they would stop a run unless --on-bad-item skip). */
  problemCount: number;
}

/**
 * `llm-batch estimate` / `run --dry-run`: the pre-scan with a token count per item, priced for realtime,
 * batch and the response cache. Sends nothing and writes nothing.
 */
export async function estimateRun(resolved: RunConfig, template: PromptTemplate, emit: EventSink): Promise<EstimateReport> {
  if (resolved.input.path === '-') throw new UsageError('estimate needs an input file; stdin cannot be read twice');
  const config = await applySample(resolved);
  const { price, standard } = await resolveRunPrices({ ...config, budgetUsd: undefined }, emit);
  // OpenAI's flex tier is the middle road between realtime and --mode batch: shown beside both.
  const flexPrice = config.provider === 'anthropic' || standard === null ? undefined : priceForTier(standard, 'flex', config.params.model);
  const output = estimateOutputTokens(config.params, config.provider);
  const cache = config.cacheDir ? openResponseCache(config.cacheDir) : null;
  const totals = createEstimateTotals();
  try {
    emit({ type: 'phase-started', phase: 'scanning', text: `scanning ${config.input.path}` });
    const scan = await prescan({
      source: config.input,
      template,
      shard: config.shard,
      limit: config.limit,
      onRendered: (_item, messages) => {
        const request: ChatRequest = { messages, params: config.params };
        const cacheHit = cache?.get(computeCacheKey({ provider: config.provider, baseUrl: config.baseUrl, request })) !== undefined;
        addEstimateItem(totals, {
          inputTokens: estimateRequestInputTokens(request, config.provider),
          outputTokensTypical: output.typical,
          outputTokensWorst: output.worst,
          cacheHit,
        });
      },
    });
    emit({ type: 'phase-finished', phase: 'scanning', text: `scanned ${scan.total} items` });
    if (scan.problemCount > 0 && config.onBadItem === 'fail') {
      throw formatProblems(config.input.path, scan.problems, scan.problemCount);
    }
    return {
      summary: summarizeEstimate({ ...totals, price, standardPrice: standard, ...(flexPrice !== undefined && { flexPrice }), mode: config.mode }),
      price,
      model: config.params.model,
      provider: config.provider,
      total: scan.total,
      problemCount: scan.problemCount,
    };
  } finally {
    await cache?.close();
  }
}
