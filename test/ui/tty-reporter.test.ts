import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reporter } from '../../src/ui/reporter.js';
import { createReporter } from '../../src/ui/create-reporter.js';
import { createFakeTty, makeFullRun, makeSummary, makeTotals, runStarted, type FakeStream } from './fixtures.js';

/** SGR sequences are the colour codes; cursor movement codes are fine under NO_COLOR. */
const SGR = /\u001B\[[0-9;]*m/;

const open: Reporter[] = [];

function setUp(env: Record<string, string | undefined> = {}, stream: FakeStream = createFakeTty()) {
  const reporter = createReporter({ stream, env, mode: 'auto', progressIntervalMs: 10_000 });
  open.push(reporter);
  return { stream, reporter };
}

afterEach(() => {
  for (const reporter of open.splice(0)) reporter.close();
});

describe('tty reporter', () => {
  it('renders a full run without throwing and shows the figures', () => {
    const { stream, reporter } = setUp({ TERM: 'xterm-256color' });
    for (const event of makeFullRun()) reporter.handle(event);
    reporter.close();
    const text = stream.plain();
    expect(text).toContain('scanning input…');
    expect(text).toContain('✔ scanned 5,000 items in 1.2s');
    expect(text).toContain('llm-batch: 5,000 items, model gpt-4o-mini (openai), concurrency 16, budget $5.00 → out.jsonl');
    expect(text).toContain('rate limited (429): pausing all requests for 12 s');
    expect(text).toContain('item a3 failed (bad_request, 400): bad thing');
    expect(text).toContain('budget: 50% used ($2.50 of $5.00)');
    expect(text).toContain('warning: model answered in prose');
    expect(text).toContain('interrupted (SIGINT)');
    // The final bar stays on screen above the summary.
    // ... without an ETA: the run is over.
    expect(text).toMatch(/5,000\/5,000 100\.0% · 15\.4\/s · \$0\.49 → \$0\.49 of \$5\.00/);
    expect(text).toContain('completed in 5m24s with 2 failed items');
    expect(stream.text()).toMatch(SGR);
  });

  it('prints lines above the bar: each line clears the bar line first and the bar comes back after', () => {
    const { stream, reporter } = setUp();
    reporter.handle(runStarted);
    reporter.handle({ type: 'progress', totals: makeTotals() });
    stream.chunks.length = 0;
    reporter.handle({ type: 'budget-reached', spentUsd: 4.98, reservedUsd: 0.02, budgetUsd: 5 });
    const text = stream.text();
    const message = text.indexOf('budget reached');
    expect(text.lastIndexOf('\u001B[2K', message)).toBeGreaterThanOrEqual(0);
    expect(text.slice(message)).toMatch(/\n.*1,234\/5,000/);
  });

  it('moves writes from elsewhere above the bar while it is shown, and stops watching when it is gone', () => {
    const { stream, reporter } = setUp({ NO_COLOR: '1' });
    const ownWrite = stream.write;
    reporter.handle(runStarted);
    reporter.handle({ type: 'progress', totals: makeTotals() });
    stream.chunks.length = 0;
    stream.write('(node:1) Warning: something\n');
    expect(stream.chunks[0]).toBe('\u001B[1G\u001B[2K');
    expect(stream.chunks[1]).toBe('(node:1) Warning: something\n');
    expect(stream.plain().split('\n').at(-1)).toContain('1,234/5,000');
    reporter.close();
    expect(stream.write).toBe(ownWrite);
  });

  it('disables colour with NO_COLOR', () => {
    const { stream, reporter } = setUp({ NO_COLOR: '1' });
    for (const event of makeFullRun()) reporter.handle(event);
    reporter.close();
    expect(stream.text()).not.toMatch(SGR);
    expect(stream.plain()).toContain('completed in 5m24s');
  });

  it('shows a counter line when the total is unknown', () => {
    const { stream, reporter } = setUp({ NO_COLOR: '1' });
    reporter.handle({ ...runStarted, total: null });
    reporter.handle({ type: 'progress', totals: makeTotals({ total: null, etaMs: null }) });
    reporter.handle({ type: 'warning', message: 'redraw' });
    expect(stream.plain()).toContain('1,234 done · 15.4/s');
    expect(stream.plain()).not.toContain('█');
  });

  it('gives the line to a spinner during a phase and brings the bar back after', () => {
    const { stream, reporter } = setUp();
    reporter.handle(runStarted);
    reporter.handle({ type: 'phase-started', phase: 'polling', text: 'waiting for batch b1…' });
    reporter.handle({ type: 'batch-progress', batchId: 'b1', status: 'in_progress', completed: 1, failed: 0, total: 9 });
    reporter.handle({ type: 'progress', totals: makeTotals() });
    reporter.handle({ type: 'phase-finished', phase: 'polling', text: 'batch b1 done' });
    reporter.handle({ type: 'warning', message: 'after' });
    const text = stream.plain();
    expect(text).toContain('waiting for batch b1…');
    expect(text).toContain('batch b1: in_progress, 1/9 done, 0 failed');
    expect(text).toContain('✔ batch b1 done');
    expect(text.slice(text.indexOf('warning: after'))).toContain('1,234/5,000');
  });

  it('wraps one-off lines and the summary at word boundaries on a 60-column terminal', () => {
    const { stream, reporter } = setUp({ NO_COLOR: '1' }, createFakeTty(60));
    for (const event of makeFullRun()) reporter.handle(event);
    reporter.handle({ type: 'warning', message: 'the price of my-fine-tuned-model is unknown: cost_usd is null; add --price-input and --price-output' });
    reporter.close();
    // What stays on screen: each line from its last return to column 1 (the bar's redraws start there).
    const lines = stream.text().split('\n').map((line) => stripVTControlCharacters(line.split(/\u001B\[1G|\r/).at(-1) ?? ''));
    expect(lines.filter((line) => line.length > 60)).toEqual([]);
    // Joined back, the words are whole: nothing was cut mid-word.
    const joined = lines.map((line) => line.trim()).join(' ');
    expect(joined).toContain('the price of my-fine-tuned-model is unknown: cost_usd is null; add --price-input and --price-output');
    expect(joined).toContain('llm-batch: 5,000 items, model gpt-4o-mini (openai), concurrency 16, budget $5.00 → out.jsonl');
  });

  it('follows a resize and detaches on close', () => {
    const stream = createFakeTty(120);
    const { reporter } = setUp({}, stream);
    reporter.handle(runStarted);
    reporter.handle({ type: 'progress', totals: makeTotals() });
    stream.chunks.length = 0;
    stream.resize(40);
    const redrawn = stream.plain().split('\n').at(-1) ?? '';
    expect(redrawn.length).toBeGreaterThan(0);
    expect(redrawn.length).toBeLessThanOrEqual(39);
    reporter.close();
    expect(stream.listenerCount()).toBe(0);
  });

  it('can be closed mid-run and then ignores events', () => {
    const { stream, reporter } = setUp();
    reporter.handle({ type: 'phase-started', phase: 'scanning', text: 'scanning input…' });
    reporter.close();
    const length = stream.text().length;
    reporter.handle({ type: 'run-finished', summary: makeSummary() });
    expect(stream.text().length).toBe(length);
  });
});
