import { describe, expect, it } from 'vitest';
import { createReporter } from '../../src/ui/create-reporter.js';
import { createFakeClock, createFakePipe, createFakeTty, makeFullRun, makeSummary, makeTotals, runStarted } from './fixtures.js';

const INTERVAL = 10_000;

async function setUp(stream = createFakePipe()) {
  const clock = createFakeClock();
  const reporter = await createReporter({ stream, env: {}, mode: 'auto', progressIntervalMs: INTERVAL, now: clock.now });
  return { stream, clock, reporter };
}

describe('plain reporter', () => {
  it('writes no ANSI codes and no carriage returns, even for hostile messages', async () => {
    const { stream, reporter } = await setUp();
    for (const event of makeFullRun()) reporter.handle(event);
    reporter.handle({ type: 'fatal-error', errorClass: 'auth', status: 401, message: '\u001B[31mno\r\nkey' });
    reporter.close();
    expect(stream.text()).not.toContain('\u001B');
    expect(stream.text()).not.toContain('\r');
    expect(stream.text()).toContain('fatal: no key (auth, 401)');
  });

  it('starts with one line describing the run', async () => {
    const { stream, reporter } = await setUp();
    reporter.handle(runStarted);
    expect(stream.text()).toBe(
      'llm-batch: 5,000 items, model gpt-4o-mini (openai), concurrency 16, budget $5.00 → out.jsonl\n',
    );
  });

  it('prints one progress line per interval however many progress events come', async () => {
    const { stream, clock, reporter } = await setUp();
    reporter.handle(runStarted);
    // 4 events a second for 65 seconds: the engine's cadence.
    for (let i = 0; i < 260; i += 1) {
      clock.advance(250);
      reporter.handle({ type: 'progress', totals: makeTotals({ elapsedMs: (i + 1) * 250 }) });
    }
    const progressLines = stream.text().split('\n').filter((line) => line.startsWith('['));
    expect(progressLines).toHaveLength(6);
    expect(progressLines[0]).toBe(
      '[00:00:10] 1,234/5,000 (24.7%) 15.4 items/s eta 4m05s | $0.12 → $0.49 of $5.00 | cache 10 | retries 3 | failed 2',
    );
  });

  it('prints a bare counter when the total is unknown', async () => {
    const { stream, clock, reporter } = await setUp();
    reporter.handle({ ...runStarted, total: null });
    clock.advance(INTERVAL);
    reporter.handle({ type: 'progress', totals: makeTotals({ total: null, etaMs: null, projectedUsd: null }) });
    const lines = stream.text().split('\n');
    expect(lines[0]).toContain('items from a stream (count unknown)');
    expect(lines[1]).toBe('[00:01:20] 1,234 done 15.4 items/s | $0.12 of $5.00 | cache 10 | retries 3 | failed 2');
  });

  it('prints rate-limit, budget and fatal lines at once, between progress lines', async () => {
    const { stream, clock, reporter } = await setUp();
    reporter.handle(runStarted);
    clock.advance(100);
    reporter.handle({ type: 'rate-limited', pauseMs: 12_000, status: 429, reason: 'pausing all requests for 12 s' });
    reporter.handle({ type: 'budget-warning', fraction: 0.75, spentUsd: 3.75, budgetUsd: 5 });
    reporter.handle({ type: 'budget-reached', spentUsd: 4.98, reservedUsd: 0.02, budgetUsd: 5 });
    reporter.handle({ type: 'fatal-error', errorClass: 'quota', status: 429, message: 'insufficient_quota' });
    reporter.handle({ type: 'interrupted', signal: 'SIGTERM', abandoning: false });
    const lines = stream.text().split('\n').slice(1, -1);
    expect(lines).toEqual([
      'rate limited (429): pausing all requests for 12 s',
      'budget: 75% used ($3.75 of $5.00)',
      'budget reached: $4.98 spent + $0.02 reserved of $5.00; no new requests, finishing those in flight',
      'fatal: insufficient_quota (quota, 429)',
      'interrupted (SIGTERM): finishing the requests in flight, then saving state',
    ]);
  });

  it('prints phases and ends with the summary', async () => {
    const { stream, reporter } = await setUp();
    for (const event of makeFullRun()) reporter.handle(event);
    const text = stream.text();
    expect(text.startsWith('scanning input…\nscanned 5,000 items in 1.2s\nllm-batch: 5,000 items')).toBe(true);
    expect(text.endsWith('results   out.jsonl\n  failures  out.failed.jsonl\n')).toBe(true);
  });

  it('shows the first item failures, then only counts them', async () => {
    const { stream, reporter } = await setUp();
    for (let i = 0; i < 30; i += 1) {
      reporter.handle({ type: 'item-failed', id: `i${i}`, errorClass: 'bad_request', status: 400, message: 'no', attempts: 1 });
    }
    const lines = stream.text().trimEnd().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('item i0 failed (bad_request, 400): no');
    expect(lines[10]).toContain('more items failed');
  });

  it('is used for a TTY that reports 0 columns: no spinner, no escape codes', async () => {
    const { stream, reporter } = await setUp(createFakeTty(0));
    for (const event of makeFullRun()) reporter.handle(event);
    reporter.close();
    expect(stream.text()).not.toContain('\u001B');
    expect(stream.text()).not.toContain('\r');
    expect(stream.text()).toContain('scanning input…\n');
  });

  it('ignores events after close', async () => {
    const { stream, reporter } = await setUp();
    reporter.close();
    reporter.handle({ type: 'run-finished', summary: makeSummary() });
    expect(stream.text()).toBe('');
  });
});
