import { describe, expect, it } from 'vitest';
import { formatEta, formatPause, formatProgressLine, formatSlow } from '../../src/ui/progress-line.js';
import { makeTotals } from './fixtures.js';

describe('slow requests in the progress figures', () => {
  it('says nothing about slow requests while none is slow', () => {
    const totals = makeTotals({ oldestInFlightMs: 2_000 });
    expect(formatSlow(totals)).toBeNull();
    expect(formatEta(totals)).toBe('eta 4m05s');
    expect(formatProgressLine(totals)).not.toContain('slow');
  });

  it('counts slow requests and their oldest age next to the ETA while other work remains', () => {
    const totals = makeTotals({ slowRequests: 2, oldestInFlightMs: 45_000 });
    expect(formatEta(totals)).toBe('eta 4m05s');
    expect(formatSlow(totals)).toBe('2 slow (oldest 45s)');
    expect(formatProgressLine(totals)).toContain('items/s eta 4m05s 2 slow (oldest 45s) |');
  });

  it('replaces a countdown ETA by "waiting on" once only in-flight items are left and some hang', () => {
    const totals = makeTotals({ succeeded: 4995, failed: 2, inFlight: 3, slowRequests: 1, oldestInFlightMs: 65_000, etaMs: 900 });
    expect(formatEta(totals)).toBe('waiting on 1 slow request (oldest 1m05s)');
    expect(formatSlow(totals)).toBeNull();
    const line = formatProgressLine(totals);
    expect(line).toContain('waiting on 1 slow request (oldest 1m05s)');
    expect(line).not.toContain('eta');
    expect(formatEta({ ...totals, slowRequests: 3 })).toBe('waiting on 3 slow requests (oldest 1m05s)');
  });

  it('keeps the ETA on the tail while nothing there is slow', () => {
    const totals = makeTotals({ succeeded: 4995, failed: 2, inFlight: 3, etaMs: 900 });
    expect(formatEta(totals)).toBe('eta 0.9s');
  });
});

describe('formatPause', () => {
  it('names the cause of a pause: a 429 limit or a 529 overload, which is no rate limit', () => {
    expect(formatPause(makeTotals())).toBeNull();
    expect(formatPause(makeTotals({ paused: true, pauseReason: 'rate_limit' }))).toBe('paused (rate limit)');
    const overloaded = makeTotals({ paused: true, pauseReason: 'overloaded' });
    expect(formatPause(overloaded)).toBe('paused (overloaded)');
    expect(formatProgressLine(overloaded)).toMatch(/ \| paused \(overloaded\)$/);
    expect(formatProgressLine(overloaded)).not.toContain('rate limit');
  });
});
