/**
 * llm-batch as a library: the engine behind `llm-batch run` and `llm-batch estimate`.
 *
 *   import { run } from 'llm-batch';
 *   const summary = await run({ input: 'items.jsonl', template: 'classify.prompt', model: 'gpt-4o-mini', budget: 5 });
 */
export { run, runEvents } from './library/run.js';
export { estimate } from './library/estimate.js';
export type { RunOptions } from './library/options.js';
export type { RunEvent, RunSummary, RunTotals, Phase } from './run/events.js';
export type { EstimateReport } from './run/estimate-run.js';
export type { EstimateSummary } from './cost/estimate-summary.js';
export { UsageError, exitCodeForRun, EXIT, type ExitCode, type StopReason } from './errors.js';
