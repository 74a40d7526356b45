#!/usr/bin/env -S node --
// The `--` stops Node 20 from reading our `--env-file` flag as its own (it scans arguments after the script).
import { readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

/*
 * undici parses HTTP with llhttp, compiled to WebAssembly on the first connection. V8 compiles it twice: at
 * once (Liftoff), then optimised on a background thread (TurboFan), and process exit waits for that
 * background compile: about 200 ms after the last answer of a short run, CPU taken from the run too. The
 * Liftoff code is fast enough for HTTP framing: 6,000 requests over 64 connections cost 941 ms of CPU with
 * Liftoff only against 1,098 ms with tier-up (README, Performance, row i). Set before anything is compiled,
 * so the code cache below is made and read under the same flags.
 */
setFlagsFromString('--liftoff-only');

/*
 * Peak memory (issue 13, row d: ≤ 150 MB for a million items). Heap limits cannot be set once Node runs,
 * but these two flags are read as the heap grows:
 * - The old generation grows by 25% over what a full GC leaves live, not by V8's own factor (up to 4×):
 *   the garbage a busy run promotes is collected before it becomes resident. 1M items: 185 → 136 MB peak
 *   RSS, at about the same speed (7,134 → 7,307 items/s); 50,000 items: 136 → 97 MB.
 * - The young generation grows to YOUNG_CAP_BYTES, then a growth factor of 1 stops it there (V8 would take
 *   it to ~34 MB, resident from then on). Not from the start: held at its initial 1 MB it is collected so
 *   often that start-up spent ~95 ms in the GC and a 5,000-item run 0.6 s.
 * README, Performance, rows b and d have the measurements.
 */
setFlagsFromString('--heap-growing-percent=25');
const YOUNG_CAP_BYTES = 8 * 1024 * 1024;
const youngWatch = new PerformanceObserver(() => {
  const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  if (young === undefined || young.space_size < YOUNG_CAP_BYTES) return;
  setFlagsFromString('--semi-space-growth-factor=1');
  youngWatch.disconnect();
});
// Not in the build's warm-up run: V8 stamps the code cache with the flags, and it must match a fresh start's.
if (process.env.LLM_BATCH_WRITE_CODE_CACHE !== '1') youngWatch.observe({ entryTypes: ['gc'] });

/*
 * The CLI is one CommonJS bundle (scripts/bundle-cli.js), compiled here with the V8 code cache the build
 * took from a real run: what a run uses is then neither parsed nor compiled again (issue 13, start-up).
 * V8 checks the cache against this exact source, V8 version and flags, and compiles normally if it does
 * not match (another Node version), so a stale or missing cache only costs time.
 */
const file = fileURLToPath(new URL('../dist/cli-bundle/llm-batch.cjs', import.meta.url));
const cacheFile = `${file}.code-cache`;
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // No cache (a build that skipped it): compile from source.
}
const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
if (process.env.LLM_BATCH_WRITE_CODE_CACHE === '1') {
  // The build's warm-up run: keep everything this run compiled, for the next start.
  process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
}
const bundle = { exports: {} };
script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, dirname(file));
