import { describe, expect, it } from 'vitest';
import { formatFixed } from '../../src/ui/format-fixed.js';

describe('formatFixed', () => {
  it('groups thousands and pads decimals the en-US way', () => {
    expect(formatFixed(1234567.891, 2)).toBe('1,234,567.89');
    expect(formatFixed(1234, 0)).toBe('1,234');
    expect(formatFixed(999.96, 1)).toBe('1,000.0');
    expect(formatFixed(0.5, 2)).toBe('0.50');
    expect(formatFixed(0.04, 1)).toBe('0.0');
    expect(formatFixed(-1234.5, 2)).toBe('-1,234.50');
  });

  it('rounds the shortest decimal form half away from zero, as Intl does (toFixed would not)', () => {
    expect(formatFixed(1.005, 2)).toBe('1.01');
    expect((1.005).toFixed(2)).toBe('1.00');
    expect(formatFixed(2.5, 0)).toBe('3');
    expect(formatFixed(-2.5, 0)).toBe('-3');
  });

  it('drops the minus sign of a value that rounds to zero, and handles extremes', () => {
    expect(formatFixed(-0.001, 2)).toBe('0.00');
    expect(formatFixed(-0, 0)).toBe('0');
    expect(formatFixed(1e-9, 2)).toBe('0.00');
    expect(formatFixed(Number.NaN, 1)).toBe('NaN');
    expect(formatFixed(Number.POSITIVE_INFINITY, 0)).toBe('Infinity');
  });

  it('agrees with Intl.NumberFormat en-US on 20,000 values across magnitudes', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const digits of [0, 1, 2]) {
      const intl = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
      for (let i = 0; i < 20_000 / 3; i += 1) {
        const value = Number((random() * 10 ** Math.floor(random() * 12)).toPrecision(1 + Math.floor(random() * 8)));
        const expected = intl.format(value);
        expect(formatFixed(value, digits), `${value} with ${digits} digits`).toBe(expected);
      }
    }
  });
});
