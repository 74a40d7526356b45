import { describe, expect, it } from 'vitest';
import { computeBackoff, ITEM_BACKOFF } from '../../src/retry/backoff.js';

const always = (value: number) => () => value;

describe('computeBackoff', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [6, 32_000],
    [7, 60_000],
    [50, 60_000],
    [10_000, 60_000],
  ])('retry %d has an upper bound of %d ms', (attempt, bound) => {
    expect(computeBackoff(attempt, undefined, always(0.999999))).toBe(Math.floor(0.999999 * bound));
  });

  it('uses full jitter: 0 at the low end', () => {
    expect(computeBackoff(5, undefined, always(0))).toBe(0);
  });

  it('is deterministic with an injected random', () => {
    expect(computeBackoff(3, undefined, always(0.5))).toBe(2000);
    expect(computeBackoff(3, undefined, always(0.25))).toBe(1000);
  });

  it('honours baseMs and capMs', () => {
    expect(computeBackoff(1, undefined, always(0.5), { baseMs: 200 })).toBe(100);
    expect(computeBackoff(10, undefined, always(0.5), { baseMs: 200, capMs: 5000 })).toBe(2500);
  });

  it('stays within bounds for random draws', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let attempt = 1; attempt <= 12; attempt += 1) {
      const delay = computeBackoff(attempt, undefined, random);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(Math.min(60_000, 1000 * 2 ** (attempt - 1)));
    }
  });

  it('honours retry-after, plus at most a second of jitter', () => {
    expect(computeBackoff(1, 5000, always(0))).toBe(5000);
    expect(computeBackoff(1, 5000, always(0.5))).toBe(5500);
    expect(computeBackoff(6, 5000, always(0.999))).toBeLessThanOrEqual(6000);
  });

  it('honours a retry-after beyond the cap (the server knows best)', () => {
    expect(computeBackoff(1, 120_000, always(0))).toBe(120_000);
  });

  it('treats retry-after 0 as "now, give or take a little jitter"', () => {
    expect(computeBackoff(3, 0, always(0.1))).toBe(100);
  });
});

describe('ITEM_BACKOFF', () => {
  it('keeps five isolated faults in a row under 8 s for one item, yet still doubles towards its cap', () => {
    const worst = [1, 2, 3, 4, 5].reduce((sum, attempt) => sum + computeBackoff(attempt, undefined, () => 0.999999, ITEM_BACKOFF), 0);
    expect(worst).toBeLessThan(8000);
    expect(computeBackoff(20, undefined, () => 0.999999, ITEM_BACKOFF)).toBe(Math.floor(0.999999 * 30_000));
  });

  it('adds at most a quarter second of spread to a server-advised wait', () => {
    expect(computeBackoff(1, 1000, () => 0.999999, ITEM_BACKOFF)).toBeLessThanOrEqual(1250);
  });
});
