/**
 * Where the comparison keeps the tools it installs: outside the repository, so no other tool's code is
 * ever committed or becomes a dependency. `LLM_BATCH_BENCH_CACHE` overrides the folder.
 */
import os from 'node:os';
import path from 'node:path';

export function benchCacheDir() {
  return process.env.LLM_BATCH_BENCH_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'llm-batch-bench');
}
