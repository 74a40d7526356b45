import type { EstimateReport } from '../run/estimate-run.js';
import { formatUsd } from '../cost/money.js';
import { formatCount } from './format.js';

/** The `llm-batch estimate` table. Costs are "unknown" (never $0) when the model has no price. */
export function formatEstimate(report: EstimateReport): string {
  const { summary, price } = report;
  const usd = (value: number | null) => (value === null ? 'unknown' : formatUsd(value));
  const count = formatCount;
  const rows: Array<[string, string]> = [
    ['model', `${report.model} (${report.provider})`],
    ['items', count(summary.items)],
    ['input tokens', count(summary.inputTokens)],
    ['output tokens (typical)', count(summary.outputTokens)],
    ['output tokens (max)', count(summary.outputTokensWorst)],
    ['cost, realtime', usd(summary.costRealtimeUsd)],
    ...(summary.costFlexUsd === undefined ? [] : [['cost, realtime on the flex tier', usd(summary.costFlexUsd)] as [string, string]]),
    ['cost, batch mode', usd(summary.costBatchUsd)],
    [`cost with cache (${count(summary.cacheHitItems)} hits)`, usd(summary.costWithCacheUsd)],
    ['worst case (what --budget reserves)', usd(summary.worstCaseUsd)],
  ];
  if (report.problemCount > 0) rows.push(['bad items (skipped)', count(report.problemCount)]);
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`);
  const note =
    price === null
      ? `No price known for ${report.model}: give --price-input and --price-output (USD per 1M tokens).`
      : 'Typical output assumes answers of the usual size; the worst case assumes every answer uses --max-tokens.';
  return [...lines, '', note, ''].join('\n');
}
