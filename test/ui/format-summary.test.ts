import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../src/ui/format-summary.js';
import { makeSummary } from './fixtures.js';

const plain = { color: null };

describe('formatSummary', () => {
  it('reports a completed run with every figure', () => {
    const text = formatSummary(makeSummary({ failed: 0, failedByClass: {}, succeeded: 5000 }), plain);
    expect(text.split('\n')[0]).toBe('completed in 5m24s');
    expect(text).toContain('5,000 ok · 0 failed');
    expect(text).toContain('123,400 in · 1,000 cached · 45,600 out');
    expect(text).toContain('$0.49 (realtime) · batch mode would have cost $0.25');
    expect(text).toContain('$0.49 of $5.00 (9.8% used)');
    expect(text).toContain('5m24s · 15.4 items/s');
    expect(text).toContain('10 hits · 0 in-run duplicates');
    expect(text).toContain('3 (rate_limit 3)');
    expect(text).toContain('results   out.jsonl');
    expect(text).not.toContain('failures');
    expect(text).not.toContain('to resume');
    expect(text).not.toContain('cache writes');
  });

  it('lists failures by class, largest first, with the dead-letter file', () => {
    const text = formatSummary(
      makeSummary({ succeeded: 4990, failed: 10, failedByClass: { invalid_output: 3, bad_request: 7 } }),
      plain,
    );
    expect(text.split('\n')[0]).toBe('completed in 5m24s with 10 failed items');
    expect(text).toContain('4,990 ok · 10 failed (bad_request 7, invalid_output 3)');
    expect(text).toContain('failures  out.failed.jsonl');
  });

  it('says where a budget stop left off and gives the resume command on its own line', () => {
    const resumeCommand = 'llm-batch run items.jsonl -o out.jsonl -m gpt-4o-mini --resume --budget 10';
    const text = formatSummary(
      makeSummary({
        stop: 'budget',
        succeeded: 3000,
        failed: 0,
        failedByClass: {},
        spentUsd: 4.99,
        projectedUsd: 8.3,
        resumeCommand,
      }),
      plain,
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe('stopped at the budget ($5.00): 2,000 items not processed');
    expect(text).toContain('all items would cost about $8.30');
    expect(lines.at(-2)).toBe('to resume:');
    expect(lines.at(-1)).toBe(resumeCommand);
  });

  it('names a fatal condition', () => {
    const text = formatSummary(
      makeSummary({
        stop: 'fatal',
        succeeded: 100,
        failed: 0,
        fatalMessage: 'OpenAI says the API key is invalid (401)',
        resumeCommand: 'llm-batch run items.jsonl --resume',
      }),
      plain,
    );
    expect(text.split('\n')[0]).toBe('fatal: OpenAI says the API key is invalid (401) (4,900 items not processed)');
    expect(text).toContain('llm-batch run items.jsonl --resume');
  });

  it('reports an interruption', () => {
    const text = formatSummary(makeSummary({ stop: 'interrupted', succeeded: 1000, failed: 0 }), plain);
    expect(text.split('\n')[0]).toBe('interrupted: 4,000 items not processed');
  });

  it('shows an unknown cost instead of $0.00', () => {
    const text = formatSummary(
      makeSummary({ model: 'x', spentUsd: null, projectedUsd: null, otherModeUsd: null, budgetUsd: null }),
      plain,
    );
    expect(text).toContain('unknown (no price for model x)');
    expect(text).not.toContain('$0.00');
    expect(text).not.toContain('budget');
  });

  it('names the realtime cost for a batch-mode run, skipped items and extra token kinds', () => {
    const text = formatSummary(
      makeSummary({ mode: 'batch', otherModeUsd: 0.98, alreadyDone: 1200, cacheWriteTokens: 500, reasoningTokens: 7 }),
      plain,
    );
    expect(text).toContain('$0.49 (batch) · realtime mode would have cost $0.98');
    expect(text).toContain('1,200 skipped (already done)');
    expect(text).toContain('500 cache writes · 7 reasoning');
  });

  it('uses colour only when given a colouring chalk', () => {
    const summary = makeSummary();
    expect(formatSummary(summary, plain)).not.toContain('\u001B');
    expect(formatSummary(summary, { color: new Chalk({ level: 0 }) })).not.toContain('\u001B');
    expect(formatSummary(summary, { color: new Chalk({ level: 1 }) })).toContain('\u001B[');
  });

  it('strips control characters from paths and messages', () => {
    const text = formatSummary(
      makeSummary({ stop: 'fatal', fatalMessage: 'bad\r\n\u001B[31mkey' }),
      plain,
    );
    expect(text).not.toMatch(/[\r\u001B]/);
    expect(text.split('\n')[0]).toContain('fatal: bad key');
  });
});
