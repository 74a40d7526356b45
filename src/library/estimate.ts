import { estimateRun, type EstimateReport } from '../run/estimate-run.js';
import { resolveLibraryRun, type RunOptions } from './options.js';

/** Tokens and cost of a run, for realtime, batch mode and with the cache, as `llm-batch estimate`: sends nothing. */
export async function estimate(options: Omit<RunOptions, 'signal'>): Promise<EstimateReport> {
  const { config, template } = await resolveLibraryRun(options);
  return estimateRun(config, template, (event) => options.onEvent?.(event));
}
