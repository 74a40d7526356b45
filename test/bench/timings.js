/**
 * The timing-only tests (the `*.bench.ts` files under `test/bench/`): speeds of single parts (the tokenizer, the journal
 * writer, the resume reader, bottleneck, the mock server) that are printed, never asserted. They used to
 * run inside `npm test`; they run here so the test suite asserts behaviour only.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

export const TIMINGS = 'timings';

/** Run them with vitest; their output goes to stderr so `--json` keeps stdout clean. True when all passed. */
export function runTimings() {
  process.stderr.write('(timings) timing-only tests …\n');
  // vitest's CLI entry is not in its package exports; it sits beside its package.json.
  const vitest = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
  const result = spawnSync(process.execPath, [vitest, 'run', '--config', 'vitest.bench.config.ts'], { stdio: ['ignore', 2, 2] });
  return result.status === 0;
}
