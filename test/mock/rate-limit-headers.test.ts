import { describe, expect, it } from 'vitest';
import { anthropicRateLimitHeaders, formatGoDuration, formatRfc3339, openaiRateLimitHeaders, setRetryAfter } from '../../src/mock/rate-limit-headers.js';

describe('formatGoDuration', () => {
  it.each([
    [0, '0ms'],
    [12, '12ms'],
    [999, '999ms'],
    [1000, '1s'],
    [7660, '7.66s'],
    [60_000, '1m0s'],
    [360_000, '6m0s'],
    [68_571, '1m8.571s'],
    [3_723_000, '1h2m3s'],
  ])('%d ms → %s', (ms, expected) => {
    expect(formatGoDuration(ms)).toBe(expected);
  });
});

describe('rate-limit headers', () => {
  const limits = [
    { name: 'requests' as const, limit: 60, remaining: 59, resetMs: 1000 },
    { name: 'tokens' as const, limit: 1000, remaining: 900, resetMs: 6000 },
    { name: 'input-tokens' as const, limit: 500, remaining: 450, resetMs: 6000 },
  ];

  it('OpenAI: x-ratelimit-* for requests and tokens only, reset as a duration', () => {
    const headers: Record<string, string> = {};
    openaiRateLimitHeaders(limits, headers);
    expect(headers).toEqual({
      'x-ratelimit-limit-requests': '60',
      'x-ratelimit-remaining-requests': '59',
      'x-ratelimit-reset-requests': '1s',
      'x-ratelimit-limit-tokens': '1000',
      'x-ratelimit-remaining-tokens': '900',
      'x-ratelimit-reset-tokens': '6s',
    });
  });

  it('Anthropic: anthropic-ratelimit-* for every limit, reset as an RFC 3339 instant', () => {
    const headers: Record<string, string> = {};
    anthropicRateLimitHeaders(limits, Date.UTC(2025, 0, 1, 0, 0, 0, 200), headers);
    expect(headers['anthropic-ratelimit-requests-reset']).toBe('2025-01-01T00:00:02Z');
    expect(headers['anthropic-ratelimit-input-tokens-limit']).toBe('500');
    expect(headers['anthropic-ratelimit-tokens-remaining']).toBe('900');
    expect(formatRfc3339(Date.UTC(2025, 0, 1))).toBe('2025-01-01T00:00:00Z');
  });

  it('retry-after is whole seconds, at least 1; retry-after-ms only when asked', () => {
    const a: Record<string, string | number> = {};
    setRetryAfter(a, 120, true);
    expect(a).toEqual({ 'retry-after': 1, 'retry-after-ms': 120 });
    const b: Record<string, string | number> = {};
    setRetryAfter(b, 2500, false);
    expect(b).toEqual({ 'retry-after': 3 });
  });
});
