import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { openaiEnv, useMockServer } from '../helpers/e2e.js';
import type { RunSummary } from '../../src/run/events.js';
import type { RunState } from '../../src/journal/state-file.js';
import type { OutputStatus } from '../../src/report/status-types.js';

// Priced like gpt-4o-mini, so the server's own bill is comparable with what the run reports.
const e2e = useMockServer({ priceInputPerMTok: 0.15, priceOutputPerMTok: 0.6 });

/** Without `{{id}}`, items with the same name and description are the same request. */
const TEMPLATE_TEXT = 'Classify into one of: Electronics, Home, Clothing, Books.\n{{name}} — {{description}}\n';

interface Row {
  id: string;
  name: string;
  description: string;
}

const row = (id: string, text: string): Row => ({ id, name: `Product ${text}`, description: `about ${text}` });

/**
 * 1–6 were answered before into another output (cache hits here); 7–12 are three requests asked twice each
 * (three in-run duplicates); 13 is refused (paid, and a failure); 14–15 fail once with a 5xx and are
 * retried (not paid); 16–30 are plain.
 */
function rows(flaky: boolean): { warm: Row[]; main: Row[] } {
  const warm = Array.from({ length: 6 }, (_, i) => row(`w${i + 1}`, `warm ${i + 1}`));
  const main: Row[] = [
    ...warm.map((item, i) => ({ ...item, id: `m${i + 1}` })),
    ...Array.from({ length: 6 }, (_, i) => row(`m${i + 7}`, `twin ${Math.floor(i / 2)}`)),
    row('m13', 'refused [[refuse]]'),
    ...(flaky ? [row('m14', 'flaky a [[flaky:1]]'), row('m15', 'flaky b [[flaky:1]]')] : [row('m14', 'plain a'), row('m15', 'plain b')]),
    ...Array.from({ length: 15 }, (_, i) => row(`m${i + 16}`, `plain ${i + 16}`)),
  ];
  return { warm, main };
}

function writeRows(path: string, items: Row[]): void {
  writeFileSync(path, items.map((item) => JSON.stringify(item)).join('\n') + '\n');
}

function runFinished(stderr: string): RunSummary {
  const events = stderr.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { type: string; summary?: RunSummary });
  const finished = events.find((event) => event.type === 'run-finished');
  if (finished?.summary === undefined) throw new Error(`no run-finished event in:\n${stderr}`);
  return finished.summary;
}

/** The figures every reporter must agree on, from a summary's fields. */
function figuresOf(source: { inputTokens: number; outputTokens: number; cachedInputTokens: number; cacheWriteTokens: number; reasoningTokens: number; cacheHits?: number; dedupHits?: number }) {
  return {
    input: source.inputTokens,
    output: source.outputTokens,
    cachedInput: source.cachedInputTokens,
    cacheWrite: source.cacheWriteTokens,
    reasoning: source.reasoningTokens,
    cacheHits: source.cacheHits ?? 0,
    dedupHits: source.dedupHits ?? 0,
  };
}

async function oneSetOfNumbers(mode: 'realtime' | 'batch'): Promise<void> {
  const dir = e2e.dir();
  const template = join(dir, 't.hbs');
  writeFileSync(template, TEMPLATE_TEXT);
  const { warm, main } = rows(mode === 'realtime');
  writeRows(join(dir, 'warm.jsonl'), warm);
  writeRows(join(dir, 'main.jsonl'), main);
  const out = join(dir, 'out.jsonl');
  const env = openaiEnv(e2e.server);
  const common = ['-t', template, '-m', 'gpt-4o-mini', '--cache-dir', join(dir, 'cache'), '--log-json', '--mode', mode];

  expect((await runCli(['run', join(dir, 'warm.jsonl'), '-o', join(dir, 'warm.out.jsonl'), ...common], { env })).code).toBe(0);
  e2e.server.resetStats();

  // Run 1: the first 20 items (cache hits, duplicates, the refusal, the retries).
  const first = await runCli(['run', join(dir, 'main.jsonl'), '-o', out, '--limit', '20', ...common], { env });
  expect(first.code).toBe(1);
  const summary1 = runFinished(first.stderr);
  expect(summary1).toMatchObject({ succeeded: 19, failed: 1, cacheHits: 6, dedupHits: 3, failedByClass: { refusal: 1 } });
  if (mode === 'realtime') expect(summary1.retries).toBeGreaterThanOrEqual(2);
  // The refused answer was billed: the run's spend is the server's bill, to the rounding of each record.
  expect(summary1.spentUsd).toBeCloseTo(e2e.server.stats().spendUsd, 8);
  const state1 = JSON.parse(readFileSync(join(dir, 'out.state.json'), 'utf8')) as RunState;
  const status1 = JSON.parse((await runCli(['status', out, '--json'], { env })).stdout) as OutputStatus;
  const report1 = status1.outputs[0];
  expect(report1.figures).toBe('state');
  // The summary, the state file (this run and every run) and status: the same numbers.
  for (const figures of [figuresOf(state1.lastRun!), figuresOf(state1.totals), { ...report1.tokens, cacheHits: report1.cacheHits, dedupHits: report1.dedupHits }, { ...report1.lastRun!.tokens, cacheHits: report1.lastRun!.cacheHits, dedupHits: report1.lastRun!.dedupHits }]) {
    expect(figures).toEqual(figuresOf(summary1));
  }
  expect(state1.totals.costUsd).toBe(summary1.spentUsd);
  expect(report1.costUsd).toBe(summary1.spentUsd);
  expect(report1.lastRun!.costUsd).toBe(summary1.spentUsd);
  expect(summary1.allRuns).toBeUndefined();

  // Run 2: resume over the whole input (the refusal is asked again and billed again; 10 new items).
  const second = await runCli(['run', join(dir, 'main.jsonl'), '-o', out, '--resume', ...common], { env });
  expect(second.code).toBe(1);
  const summary2 = runFinished(second.stderr);
  expect(summary2).toMatchObject({ succeeded: 10, failed: 1, alreadyDone: 19, cacheHits: 0, dedupHits: 0 });
  expect(summary2.allRuns).toBeDefined();
  const all = summary2.allRuns!;
  expect(all.inputTokens).toBe(summary1.inputTokens + summary2.inputTokens);
  expect(all.costUsd).toBeCloseTo(summary1.spentUsd! + summary2.spentUsd!, 12);
  expect(all.costUsd).toBeCloseTo(e2e.server.stats().spendUsd, 8);
  const state2 = JSON.parse(readFileSync(join(dir, 'out.state.json'), 'utf8')) as RunState;
  const status2 = JSON.parse((await runCli(['status', out, '--json'], { env })).stdout) as OutputStatus;
  const report2 = status2.outputs[0];
  // This run: the summary, the state's lastRun, status's lastRun.
  expect(figuresOf(state2.lastRun!)).toEqual(figuresOf(summary2));
  expect({ ...report2.lastRun!.tokens, cacheHits: report2.lastRun!.cacheHits, dedupHits: report2.lastRun!.dedupHits }).toEqual(figuresOf(summary2));
  // Every run: the summary's allRuns, the state's totals, status.
  expect(figuresOf(state2.totals)).toEqual(figuresOf(all));
  expect({ ...report2.tokens, cacheHits: report2.cacheHits, dedupHits: report2.dedupHits }).toEqual(figuresOf(all));
  expect(report2.costUsd).toBe(all.costUsd);
  expect(state2.totals.costUsd).toBe(all.costUsd);
  // status's text says which figures are which.
  const text = (await runCli(['status', out], { env })).stdout;
  expect(text).toMatch(/cache\s+6 hits · 3 in-run duplicates {2,}\(all runs\)/);
  expect(text).toMatch(/last run .* 10 ok · 1 failed/);
}

describe('one set of numbers: summary, state file and status agree', () => {
  it('realtime: cache hits, in-run duplicates, a paid failure, retries, then a resume', async () => {
    await oneSetOfNumbers('realtime');
  }, 120_000);

  it('batch mode: cache hits, in-run duplicates, a paid failure, then a resume', async () => {
    e2e.server.configure({ batchCompletionDelayMs: 0 });
    await oneSetOfNumbers('batch');
  }, 120_000);
});
