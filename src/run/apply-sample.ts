import { sampleIds } from '../input/sample.js';
import type { RunConfig } from './run-config.js';

/** With `--sample`, the config whose input yields only the sampled items (one extra pass over the input). */
export async function applySample(config: RunConfig): Promise<RunConfig> {
  if (config.sample === undefined) return config;
  const only = await sampleIds(config.input, config.sample.count, config.sample.seed, config.shard);
  return { ...config, input: { ...config.input, only } };
}
