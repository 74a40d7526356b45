/**
 * `npm run bench`: SPEC §12's performance table, measured against the project's mock server.
 *
 *   node test/bench/run-benchmarks.js [--only a,c] [--quick] [--json] [--cpu-prof DIR]
 *
 * After the rows, `timings` runs the timing-only tests (the `*.bench.ts` files under `test/bench/`, vitest with
 * `vitest.bench.config.ts`): unit-level speeds that are printed, never asserted. `--only timings` runs just those.
 *
 * Every row spawns the built CLI (`bin/llm-batch.js`, so `npm run build` first) and a mock server, each
 * in its own process: on a 2-core machine an in-process server would take event-loop time from the
 * client being measured. Inputs are generated in a temporary folder that is removed at the end.
 * `--json` prints the report as JSON instead of the table; `--cpu-prof DIR` writes a V8 CPU profile of
 * each measured CLI run into DIR (read it with `node test/bench/top-self-time.js FILE`). `BENCH_NODE_ARGS`
 * (space-separated) adds Node flags to every measured CLI run, to compare V8 settings without a rebuild.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatTable } from './format-table.js';
import { machine } from './machine.js';
import { ROWS } from './rows.js';
import { runTimings, TIMINGS } from './timings.js';

const options = parseArgs(process.argv.slice(2));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llm-batch-bench-'));
const ctx = { dir, quick: options.quick, cleanups: [], nodeArgs: [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), ...(options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProf}`] : [])] };
const report = {
  quick: options.quick,
  machine: machine(),
  loadBefore: os.loadavg(),
  loadAfter: null,
  rows: [],
};

try {
  for (const row of ROWS.filter((r) => options.only === null || options.only.includes(r.id))) {
    const loadBefore = os.loadavg()[0];
    process.stderr.write(`(${row.id}) ${row.title} … `);
    const started = performance.now();
    try {
      const result = await row.run(ctx);
      report.rows.push({ id: row.id, title: row.title, loadBefore, ...result, command: result.command.replaceAll(dir, '$BENCH_DIR') });
      process.stderr.write(`${result.display} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
    } catch (error) {
      report.rows.push({ id: row.id, title: row.title, loadBefore, error: error.message });
      process.stderr.write(`error: ${error.message}\n`);
    }
  }
} finally {
  for (const cleanup of ctx.cleanups) await cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
}
if (options.only === null || options.only.includes(TIMINGS)) {
  if (!runTimings()) report.rows.push({ id: TIMINGS, title: 'timing-only tests', error: 'a timing test failed (see above)' });
}
report.loadAfter = os.loadavg();
process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatTable(report));
process.exitCode = report.rows.some((r) => r.error) ? 1 : 0;

function parseArgs(argv) {
  const parsed = { only: null, quick: false, json: false, cpuProf: null };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--quick') parsed.quick = true;
    else if (arg === '--json') parsed.json = true;
    else if (arg === '--only') parsed.only = (argv[++i] ?? '').split(',').map((s) => s.trim());
    else if (arg === '--cpu-prof') parsed.cpuProf = path.resolve(argv[++i] ?? 'bench-profiles');
    else {
      process.stderr.write(`unknown option ${arg}\nusage: run-benchmarks.js [--only a,c] [--quick] [--json] [--cpu-prof DIR]\n`);
      process.exit(2);
    }
  }
  const known = [...ROWS.map((r) => r.id), TIMINGS];
  const unknown = (parsed.only ?? []).filter((id) => !known.includes(id));
  if (unknown.length > 0) {
    process.stderr.write(`unknown row ${unknown.join(', ')} (rows: ${known.join(', ')})\n`);
    process.exit(2);
  }
  return parsed;
}
