/**
 * `npm run bench:compare`: llm-batch side by side with the tools users pick instead (promptfoo, the
 * OpenAI cookbook's parallel processor) on the same mock server set-ups (scenarios.js).
 *
 *   node test/bench/compare/run-compare.js [--only clean,latency,faults] [--tools llm-batch,promptfoo,cookbook] [--quick] [--json]
 *
 * Each run gets a fresh mock server in its own process (test/bench/mock-server-child.js) and spawns the
 * tool as its own process, measured like `npm run bench` measures the CLI (wall clock spawn to exit, CPU
 * time, peak RSS). Answers are checked against the mock's deterministic answer per prompt (outcomes.js).
 * A tool that cannot run here (not configured, not installable) is skipped with the reason printed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { machine } from '../machine.js';
import { describeServer, startServerProcess } from '../mock-server.js';
import { formatCompareTable } from './format-compare-table.js';
import { benchItems } from './items.js';
import { countOutcomes } from './outcomes.js';
import { CONCURRENCY, SCENARIOS } from './scenarios.js';
import { cookbook } from './tool-cookbook.js';
import { llmBatch } from './tool-llm-batch.js';
import { promptfoo } from './tool-promptfoo.js';

const TOOLS = { 'llm-batch': llmBatch, promptfoo, cookbook };

const options = parseArgs(process.argv.slice(2));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llm-batch-compare-'));
const report = { quick: options.quick, machine: machine(), loadBefore: os.loadavg(), loadAfter: null, scenarios: [] };

try {
  const tools = [];
  for (const key of options.tools) {
    const tool = TOOLS[key];
    tools.push({ key, tool, ...(await tool.prepare({ dir })) });
  }
  for (const scenario of SCENARIOS.filter((s) => options.only.includes(s.id))) {
    const count = options.quick ? scenario.items.quick : scenario.items.full;
    const { items, expected } = benchItems(count);
    const entry = { id: scenario.id, title: scenario.title, items: count, server: describeServer(scenario.server), runs: [] };
    report.scenarios.push(entry);
    for (const { key, tool, skip, state, note } of tools) {
      if (skip) {
        entry.runs.push({ tool: tool.name, skipped: skip });
        continue;
      }
      process.stderr.write(`(${scenario.id}) ${tool.name}, ${count.toLocaleString('en-US')} items … `);
      try {
        const run = await runOne({ scenario, tool, key, state, items, expected });
        entry.runs.push({ ...run, note: [note, run.exitCode !== 0 ? `exit ${run.exitCode}` : undefined].filter(Boolean).join(', ') || undefined });
        process.stderr.write(`${(run.wallMs / 1000).toFixed(2)} s, ${run.outcomes.answered} answered\n`);
      } catch (error) {
        entry.runs.push({ tool: tool.name, error: error.message });
        process.stderr.write(`error: ${error.message}\n`);
      }
    }
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
report.loadAfter = os.loadavg();
process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatCompareTable(report));
process.exitCode = report.scenarios.some((s) => s.runs.some((r) => r.error)) ? 1 : 0;

/** One tool through one scenario: a fresh server, the tool's process, the server's counters, the verdicts. */
async function runOne({ scenario, tool, key, state, items, expected }) {
  const runDir = path.join(dir, `${scenario.id}-${key}`);
  fs.mkdirSync(runDir);
  const loadBefore = os.loadavg()[0];
  const server = await startServerProcess(scenario.server);
  try {
    const { result, records, command } = await tool.run({ dir: runDir, items, serverUrl: server.url, concurrency: CONCURRENCY, state });
    const stats = await server.stats();
    return {
      tool: tool.name,
      wallMs: result.wallMs,
      firstRequestMs: stats.firstRequestAt === undefined ? null : stats.firstRequestAt - result.spawnedAt,
      idealMs: scenario.idealMs ? scenario.idealMs(items.length) : null,
      outcomes: countOutcomes(expected, records),
      requests: stats.requests,
      maxInFlight: stats.maxInFlight,
      peakRssMb: result.peakRssMb,
      cpuSeconds: result.cpuSeconds,
      loadBefore,
      exitCode: result.code,
      command: command.replaceAll(dir, '$COMPARE_DIR').replaceAll(server.url, 'http://127.0.0.1:$PORT'),
    };
  } finally {
    await server.close();
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

function parseArgs(argv) {
  const parsed = { only: SCENARIOS.map((s) => s.id), tools: Object.keys(TOOLS), quick: false, json: false };
  const usage = `usage: run-compare.js [--only ${parsed.only.join(',')}] [--tools ${parsed.tools.join(',')}] [--quick] [--json]`;
  const list = (value, known, what) => {
    const names = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = names.filter((n) => !known.includes(n));
    if (names.length === 0 || unknown.length > 0) fail(`unknown ${what} ${unknown.join(', ') || '(none given)'} (${what}s: ${known.join(', ')})`);
    return names;
  };
  const fail = (message) => {
    process.stderr.write(`${message}\n${usage}\n`);
    process.exit(2);
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--quick') parsed.quick = true;
    else if (arg === '--json') parsed.json = true;
    else if (arg === '--only') parsed.only = list(argv[++i], parsed.only, 'scenario');
    else if (arg === '--tools') parsed.tools = list(argv[++i], Object.keys(TOOLS), 'tool');
    else fail(`unknown option ${arg}`);
  }
  return parsed;
}
