import { describe, expect, it } from 'vitest';
import { createPalette } from '../../src/ui/color.js';
import { createEventLiner, formatRunStarted } from '../../src/ui/event-lines.js';
import { runStarted } from './fixtures.js';

const context = { palette: createPalette(null), command: 'llm-batch' };

describe('formatRunStarted', () => {
  it('mentions items already done, batch mode and a missing budget', () => {
    expect(
      formatRunStarted({ ...runStarted, alreadyDone: 1200, mode: 'batch', budgetUsd: null, total: 1 }, 'llm-batch run'),
    ).toBe('llm-batch run: 1 item (1,200 already done), model gpt-4o-mini (openai), batch mode, concurrency 16 → out.jsonl');
  });
});

describe('createEventLiner', () => {
  it('says nothing for per-item successes, retries and progress', () => {
    const liner = createEventLiner(context);
    expect(liner({ type: 'item-succeeded', id: 'a', cached: true, costUsd: 0, latencyMs: 1, attempts: 1 })).toBeNull();
    expect(liner({ type: 'retry-scheduled', id: 'a', attempt: 1, delayMs: 9, errorClass: 'server', status: 503 })).toBeNull();
  });

  it('never calls a 529 a rate limit, and names each cause once', () => {
    const liner = createEventLiner(context);
    const overload = 'the provider is overloaded (529): pausing all requests for 4 s';
    expect(liner({ type: 'rate-limited', pauseMs: 4000, status: 529, reason: overload })).toBe(overload);
    const reason = 'pausing all requests for 4 s';
    expect(liner({ type: 'rate-limited', pauseMs: 4000, status: 429, reason })).toBe('rate limited (429): pausing all requests for 4 s');
    expect(liner({ type: 'rate-limited', pauseMs: 4000, reason })).toBe('rate limited: pausing all requests for 4 s');
  });

  it('prints an identical pause once, then only at 2, 4, 8, … in a row, and again in full after a change', () => {
    const liner = createEventLiner(context);
    const overload = 'the provider is overloaded (529): pausing all requests for 1.0 s';
    const pause = { type: 'rate-limited', pauseMs: 1000, status: 529, reason: overload } as const;
    const lines = Array.from({ length: 9 }, () => liner(pause));
    expect(lines).toEqual([
      overload,
      `${overload} (2 times in a row)`,
      null,
      `${overload} (4 times in a row)`,
      null,
      null,
      null,
      `${overload} (8 times in a row)`,
      null,
    ]);
    expect(liner({ type: 'rate-limited', pauseMs: 1000, status: 429, reason: 'pausing all requests for 1.0 s' })).toBe(
      'rate limited (429): pausing all requests for 1.0 s',
    );
    expect(liner(pause)).toBe(overload);
  });

  it('prints batch progress only when the status changes', () => {
    const liner = createEventLiner(context);
    const event = { type: 'batch-progress', batchId: 'b1', status: 'in_progress', completed: 10, failed: 0, total: 100 } as const;
    expect(liner(event)).toBe('batch b1: in_progress, 10/100 done, 0 failed');
    expect(liner({ ...event, completed: 50 })).toBeNull();
    expect(liner({ ...event, status: 'completed', completed: 100 })).toBe('batch b1: completed, 100/100 done, 0 failed');
    const timed = { ...event, batchId: 'b2', waitedMs: 130_000, nextPollMs: 7_500 };
    expect(liner(timed)).toBe('batch b2: in_progress, 10/100 done, 0 failed (waited 2m10s, next poll in 7.5s)');
  });

  it('prints learned limits once per change', () => {
    const liner = createEventLiner(context);
    const event = { type: 'rate-limits-learned', rpm: 500, tpm: 200_000, source: 'headers' } as const;
    expect(liner(event)).toBe('rate limits from headers: 500 requests/min, 200,000 tokens/min');
    expect(liner(event)).toBeNull();
  });

  it('cuts very long error messages', () => {
    const liner = createEventLiner(context);
    const line = liner({ type: 'warning', message: 'x'.repeat(5000) }) ?? '';
    expect(line.length).toBeLessThan(320);
  });

  it('describes an abandoning interruption and a submitted batch', () => {
    const liner = createEventLiner(context);
    expect(liner({ type: 'interrupted', signal: 'SIGINT', abandoning: true })).toBe(
      'interrupted (SIGINT): abandoning the requests in flight; resume retries them',
    );
    expect(liner({ type: 'batch-submitted', batchId: 'b1', requests: 5000 })).toBe('submitted batch b1 with 5,000 requests');
  });
});
