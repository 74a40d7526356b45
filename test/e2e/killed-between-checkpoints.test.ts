import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { collect, runCli, spawnCli } from '../helpers/cli.js';
import { openaiEnv, useMockServer } from '../helpers/e2e.js';
import type { RunSummary } from '../../src/run/events.js';
import type { RunState } from '../../src/journal/state-file.js';
import type { OutputStatus } from '../../src/report/status-types.js';
import type { ResultRecord } from '../../src/journal/records.js';

// Slow answers, so the run is still going well after its first state checkpoint (every 5 s).
const e2e = useMockServer({ priceInputPerMTok: 0.15, priceOutputPerMTok: 0.6, latencyMs: 100 });

const ITEMS = 800;
const TEMPLATE_TEXT = 'Classify: {{text}}\n';

function resultLines(out: string): ResultRecord[] {
  if (!existsSync(out)) return [];
  return readFileSync(out, 'utf8').split('\n').filter((line) => line.endsWith('}')).map((line) => JSON.parse(line) as ResultRecord);
}

/** What the result lines say was billed: cached lines sent nothing. */
function billedByLines(out: string) {
  const lines = resultLines(out);
  const billed = lines.filter((line) => !line.cached);
  return {
    results: lines.length,
    input: billed.reduce((sum, line) => sum + line.usage.input_tokens, 0),
    output: billed.reduce((sum, line) => sum + line.usage.output_tokens, 0),
    costUsd: billed.reduce((sum, line) => sum + (line.cost_usd ?? 0), 0),
  };
}

function readStateFile(path: string): RunState | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RunState;
  } catch {
    return undefined; // not written yet
  }
}

function runFinished(stderr: string): RunSummary {
  const events = stderr.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { type: string; summary?: RunSummary });
  const finished = events.find((event) => event.type === 'run-finished');
  if (finished?.summary === undefined) throw new Error(`no run-finished event in:\n${stderr}`);
  return finished.summary;
}

describe('status and --resume count the lines written after the last state checkpoint', () => {
  it('kill -9 soon after a checkpoint: status matches the result lines; the resumed summary and status agree', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, Array.from({ length: ITEMS }, (_, i) => JSON.stringify({ id: `r${i}`, text: `item ${i}` })).join('\n') + '\n');
    const template = join(dir, 't.hbs');
    writeFileSync(template, TEMPLATE_TEXT);
    const out = join(dir, 'out.jsonl');
    const statePath = join(dir, 'out.state.json');
    const env = openaiEnv(e2e.server);
    const args = ['run', input, '-t', template, '-m', 'gpt-4o-mini', '-o', out, '-c', '4', '--log-json', '--cache-dir', join(dir, 'cache')];

    const child = spawnCli(args, { env });
    const finished = collect(child);
    // Wait for a checkpoint that counted results, then for more lines than it knows of, then kill -9.
    let checkpoint: RunState | undefined;
    for (;;) {
      checkpoint = readStateFile(statePath);
      if ((checkpoint?.totals.succeeded ?? 0) > 0) break;
      await sleep(50);
    }
    const known = checkpoint!.totals.succeeded;
    while (resultLines(out).length < known + 5) await sleep(50);
    child.kill('SIGKILL');
    await finished;

    const lines = billedByLines(out);
    const state = readStateFile(statePath)!;
    expect(lines.results).toBeLessThan(ITEMS); // killed mid-run
    expect(lines.results).toBeGreaterThan(state.totals.succeeded); // the state lags the lines
    expect(state.covered).toBeDefined();

    const status = JSON.parse((await runCli(['status', out, '--json'], { env })).stdout) as OutputStatus;
    const report = status.outputs[0];
    expect(report.resultLines).toBe(lines.results);
    expect(report.sinceCheckpoint!.results).toBe(lines.results - state.totals.succeeded);
    expect(report.tokens.input).toBe(lines.input);
    expect(report.tokens.output).toBe(lines.output);
    expect(report.costUsd).toBeCloseTo(lines.costUsd, 10);
    expect(report.notes).toContain(`${lines.results - state.totals.succeeded} results newer than the last checkpoint counted from the output file`);
    const text = (await runCli(['status', out], { env })).stdout;
    expect(text).toContain('results newer than the last checkpoint counted from the output file');

    // More concurrency for the rest: not part of the fingerprint, and it keeps the test short.
    const resumed = await runCli([...args, '--resume', '-c', '64'], { env });
    expect(resumed.code).toBe(0);
    const summary = runFinished(resumed.stderr);
    const after = billedByLines(out);
    expect(after.results).toBe(ITEMS);
    expect(new Set(resultLines(out).map((line) => line.id)).size).toBe(ITEMS);
    const statusAfter = (JSON.parse((await runCli(['status', out, '--json'], { env })).stdout) as OutputStatus).outputs[0];
    // The summary's "all runs", status and the lines: one set of numbers.
    expect(summary.allRuns!.inputTokens).toBe(after.input);
    expect(summary.allRuns!.outputTokens).toBe(after.output);
    expect(summary.allRuns!.costUsd).toBeCloseTo(after.costUsd, 10);
    expect(statusAfter.tokens.input).toBe(after.input);
    expect(statusAfter.tokens.output).toBe(after.output);
    expect(statusAfter.costUsd).toBe(summary.allRuns!.costUsd);
    expect(statusAfter.sinceCheckpoint).toEqual({ results: 0, failures: 0 });
    expect(statusAfter.notes.join('\n')).not.toContain('newer than the last checkpoint');
  }, 180_000);

  it('a state written by an older version (zero totals, no offsets): status counts every line', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, Array.from({ length: 12 }, (_, i) => JSON.stringify({ id: `r${i}`, text: `item ${i}` })).join('\n') + '\n');
    const template = join(dir, 't.hbs');
    writeFileSync(template, TEMPLATE_TEXT);
    const out = join(dir, 'out.jsonl');
    const statePath = join(dir, 'out.state.json');
    const env = openaiEnv(e2e.server);
    const args = ['run', input, '-t', template, '-m', 'gpt-4o-mini', '-o', out, '--log-json', '--cache-dir', join(dir, 'cache')];
    expect((await runCli([...args, '--limit', '8'], { env })).code).toBe(0);
    // What an older version wrote: the fingerprint and batches, no figures.
    const { covered: _covered, lastRun: _lastRun, totals: _totals, ...old } = readStateFile(statePath)!;
    writeFileSync(statePath, JSON.stringify({ ...old, totals: { succeeded: 0, failed: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 } }));

    const lines = billedByLines(out);
    const report = (JSON.parse((await runCli(['status', out, '--json'], { env })).stdout) as OutputStatus).outputs[0];
    expect(report.sinceCheckpoint).toEqual({ results: 8, failures: 0 });
    expect(report.tokens.input).toBe(lines.input);
    expect(report.costUsd).toBeCloseTo(lines.costUsd, 10);

    const resumed = await runCli([...args, '--resume'], { env });
    expect(resumed.code).toBe(0);
    const summary = runFinished(resumed.stderr);
    const after = billedByLines(out);
    expect(summary.allRuns!.inputTokens).toBe(after.input);
    expect(summary.allRuns!.succeeded).toBe(12);
  }, 120_000);
});
