import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../src/http/retry-after.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');

describe('parseRetryAfter', () => {
  it.each<[string, Record<string, string>, number | undefined]>([
    ['no headers', {}, undefined],
    ['retry-after-ms', { 'retry-after-ms': '250' }, 250],
    ['retry-after-ms wins over retry-after', { 'retry-after-ms': '250', 'retry-after': '9' }, 250],
    ['fractional retry-after-ms rounds up', { 'retry-after-ms': '12.2' }, 13],
    ['garbage retry-after-ms falls back to retry-after', { 'retry-after-ms': 'soon', 'retry-after': '2' }, 2000],
    ['seconds', { 'retry-after': '20' }, 20_000],
    ['fractional seconds', { 'retry-after': '1.5' }, 1500],
    ['zero', { 'retry-after': '0' }, 0],
    ['negative seconds clamp to 0', { 'retry-after': '-3' }, 0],
    ['negative ms clamp to 0', { 'retry-after-ms': '-40' }, 0],
    ['HTTP date in the future', { 'retry-after': 'Sun, 01 Jun 2025 12:00:30 GMT' }, 30_000],
    ['HTTP date in the past clamps to 0', { 'retry-after': 'Sun, 01 Jun 2025 11:59:00 GMT' }, 0],
    ['garbage', { 'retry-after': 'soon' }, undefined],
    ['empty', { 'retry-after': '' }, undefined],
    ['header name in another case', { 'Retry-After': '3' }, 3000],
  ])('%s', (_name, headers, expected) => {
    expect(parseRetryAfter(headers, NOW)).toBe(expected);
  });
});
