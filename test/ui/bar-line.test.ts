import { stripVTControlCharacters } from 'node:util';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { formatBarLine } from '../../src/ui/bar-line.js';
import { createPalette } from '../../src/ui/color.js';
import { makeTotals } from './fixtures.js';

const plain = createPalette(null);

describe('formatBarLine', () => {
  it('shows every figure on a wide terminal', () => {
    const line = formatBarLine(makeTotals(), 160, plain);
    expect(line).toMatch(/^█+░+ 1,234\/5,000 24\.7% · 15\.4\/s · eta 4m05s · \$0\.12 → \$0\.49 of \$5\.00 · cache 10 · retries 3 · failed 2$/);
    expect(line.indexOf(' ')).toBe(30);
  });

  it.each([100, 80, 60, 40, 20, 5])('never reaches the last column of a %d-column terminal', (width) => {
    const colored = createPalette(new Chalk({ level: 3 }));
    const line = stripVTControlCharacters(formatBarLine(makeTotals({ paused: true }), width, colored));
    expect(line.length).toBeLessThanOrEqual(width - 1);
    expect(line.length).toBeGreaterThan(0);
  });

  it('drops cache, retries and rate before the bar, and the bar before the eta and money', () => {
    const line = formatBarLine(makeTotals(), 80, plain);
    expect(line).toMatch(/^█+░+ 1,234\/5,000 24\.7% · eta 4m05s · \$0\.12 → \$0\.49 of \$5\.00 · failed 2$/);
    const narrow = formatBarLine(makeTotals(), 60, plain);
    expect(narrow).toBe('1,234/5,000 24.7% · $0.12 → $0.49 of $5.00 · failed 2');
  });

  it('draws a counter without a bar when the total is unknown', () => {
    const line = formatBarLine(makeTotals({ total: null, etaMs: null }), 120, plain);
    expect(line).toBe('1,234 done · 15.4/s · $0.12 → $0.49 of $5.00 · cache 10 · retries 3 · failed 2');
  });

  it('says when dispatch is paused and when the cost is unknown', () => {
    const line = formatBarLine(makeTotals({ paused: true, spentUsd: null, budgetUsd: null }), 200, plain);
    expect(line).toContain('paused (rate limit)');
    expect(line).toContain('cost unknown');
    const overloaded = formatBarLine(makeTotals({ paused: true, pauseReason: 'overloaded' }), 60, plain);
    expect(overloaded).toContain('paused (overloaded)');
    expect(overloaded).not.toContain('rate limit');
  });

  it('shows slow requests, and keeps them longer than the rate when narrow', () => {
    const totals = makeTotals({ slowRequests: 2, oldestInFlightMs: 45_000 });
    expect(formatBarLine(totals, 200, plain)).toContain('eta 4m05s · 2 slow (oldest 45s) ·');
    expect(formatBarLine(totals, 80, plain)).toContain('2 slow (oldest 45s)');
  });

  it('says the run waits on slow requests instead of a countdown ETA', () => {
    const totals = makeTotals({ succeeded: 4995, failed: 2, inFlight: 3, slowRequests: 3, oldestInFlightMs: 65_000, etaMs: 900 });
    const line = formatBarLine(totals, 120, plain);
    expect(line).toContain('waiting on 3 slow requests (oldest 1m05s)');
    expect(line).not.toContain('eta');
    // On a narrow terminal the wait outlives the money and failure counts.
    const narrow = { ...totals, total: 40, succeeded: 39, failed: 0, inFlight: 1, slowRequests: 1, oldestInFlightMs: 15_000 };
    expect(formatBarLine(narrow, 60, plain)).toBe('39/40 97.5% · waiting on 1 slow request (oldest 15s)');
  });
});
