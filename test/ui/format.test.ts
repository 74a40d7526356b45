import { describe, expect, it } from 'vitest';
import {
  formatClock,
  formatCount,
  formatDuration,
  formatPercent,
  formatRate,
  sanitizeText,
} from '../../src/ui/format.js';

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [1234, '1,234'],
    [1_234_567, '1,234,567'],
    [Number.NaN, '?'],
  ])('%d → %s', (value, expected) => expect(formatCount(value)).toBe(expected));
});

describe('formatPercent', () => {
  it.each([
    [0.2468, '24.7%'],
    [1, '100.0%'],
    [0, '0.0%'],
  ])('%d → %s', (value, expected) => expect(formatPercent(value)).toBe(expected));
});

describe('formatRate', () => {
  it.each([
    [15.43, '15.4'],
    [0, '0.0'],
    [3120.4, '3,120'],
    [Number.POSITIVE_INFINITY, '?'],
  ])('%d → %s', (value, expected) => expect(formatRate(value)).toBe(expected));
});

describe('formatDuration', () => {
  it.each([
    [0, '0.0s'],
    [1_200, '1.2s'],
    [12_000, '12s'],
    [59_600, '60s'],
    [245_000, '4m05s'],
    [3_599_000, '59m59s'],
    [7_500_000, '2h05m'],
    [-1, '?'],
  ])('%d ms → %s', (value, expected) => expect(formatDuration(value)).toBe(expected));
});

describe('formatClock', () => {
  it.each([
    [80_000, '00:01:20'],
    [0, '00:00:00'],
    [3_723_999, '01:02:03'],
    [100 * 3_600_000, '100:00:00'],
  ])('%d ms → %s', (value, expected) => expect(formatClock(value)).toBe(expected));
});

describe('sanitizeText', () => {
  it('removes escape codes and folds line breaks', () => {
    expect(sanitizeText('\u001B[31mred\u001B[0m\r\nnext\tline\u0007')).toBe('red next line');
  });
});
