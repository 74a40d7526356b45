import { describe, expect, it } from 'vitest';
import {
  parseGoDuration,
  parseRateLimitHeaders,
  parseResetTime,
  type RateLimitSnapshot,
} from '../../src/scheduler/rate-limit-headers.js';

const NOW = Date.parse('2025-05-01T10:00:00.000Z');

describe('parseGoDuration', () => {
  it.each<[string, number | undefined]>([
    ['6m0s', 360_000],
    ['1s', 1000],
    ['12ms', 12],
    ['1m30.5s', 90_500],
    ['0s', 0],
    ['0', 0],
    ['1h2m3s', 3_723_000],
    ['2.5s', 2500],
    ['.5s', 500],
    ['500us', 0.5],
    ['500µs', 0.5],
    ['250ns', 0.00025],
    ['1m0.001s', 60_001],
    ['17', 17_000],
    ['1.5', 1500],
    [' 20ms ', 20],
    ['', undefined],
    ['abc', undefined],
    ['5x', undefined],
    ['1m30', undefined],
    ['-1s', undefined],
    ['1s trailing', undefined],
  ])('%j → %s ms', (text, expected) => {
    const parsed = parseGoDuration(text);
    if (expected === undefined) expect(parsed).toBeUndefined();
    else expect(parsed).toBeCloseTo(expected, 9);
  });
});

describe('parseResetTime', () => {
  it.each<[string, number | undefined]>([
    ['2025-05-01T10:00:05Z', 5000],
    ['2025-05-01T10:00:05.250Z', 5250],
    ['2025-05-01T12:00:30+02:00', 30_000],
    ['2025-05-01T09:59:00Z', 0],
    ['2025-13-45T99:00:00Z', undefined],
    ['7', 7000],
    ['1m0s', 60_000],
    ['soon', undefined],
  ])('%j → %s ms', (text, expected) => {
    expect(parseResetTime(text, NOW)).toBe(expected);
  });
});

describe('parseRateLimitHeaders', () => {
  it.each<[string, Record<string, string>, RateLimitSnapshot | undefined]>([
    [
      'OpenAI, all six headers',
      {
        'x-ratelimit-limit-requests': '500',
        'x-ratelimit-remaining-requests': '499',
        'x-ratelimit-reset-requests': '120ms',
        'x-ratelimit-limit-tokens': '200000',
        'x-ratelimit-remaining-tokens': '199000',
        'x-ratelimit-reset-tokens': '1m30.5s',
      },
      {
        source: 'openai',
        requests: { limit: 500, remaining: 499, resetMs: 120 },
        tokens: { limit: 200_000, remaining: 199_000, resetMs: 90_500 },
      },
    ],
    [
      'OpenAI, mixed-case names and only the request limit',
      { 'X-RateLimit-Limit-Requests': '60', 'X-RateLimit-Remaining-Requests': '0', 'X-RateLimit-Reset-Requests': '1s' },
      { source: 'openai', requests: { limit: 60, remaining: 0, resetMs: 1000 } },
    ],
    [
      'OpenAI, unparsable reset and remaining are left out',
      { 'x-ratelimit-limit-tokens': '1000', 'x-ratelimit-remaining-tokens': 'lots', 'x-ratelimit-reset-tokens': 'later' },
      { source: 'openai', tokens: { limit: 1000 } },
    ],
    [
      'Anthropic, with separate input and output limits',
      {
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '49',
        'anthropic-ratelimit-requests-reset': '2025-05-01T10:00:01Z',
        'anthropic-ratelimit-tokens-limit': '10000',
        'anthropic-ratelimit-tokens-remaining': '9000',
        'anthropic-ratelimit-tokens-reset': '2025-05-01T10:00:06Z',
        'anthropic-ratelimit-input-tokens-limit': '50000',
        'anthropic-ratelimit-input-tokens-remaining': '48000',
        'anthropic-ratelimit-input-tokens-reset': '2025-05-01T10:00:02.500Z',
        'anthropic-ratelimit-output-tokens-limit': '10000',
        'anthropic-ratelimit-output-tokens-remaining': '9000',
        'anthropic-ratelimit-output-tokens-reset': '2025-05-01T10:00:06Z',
      },
      {
        source: 'anthropic',
        requests: { limit: 50, remaining: 49, resetMs: 1000 },
        tokens: { limit: 10_000, remaining: 9000, resetMs: 6000 },
        inputTokens: { limit: 50_000, remaining: 48_000, resetMs: 2500 },
        outputTokens: { limit: 10_000, remaining: 9000, resetMs: 6000 },
      },
    ],
    [
      'Anthropic, a reset already past counts as 0',
      { 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-reset': '2025-05-01T09:00:00Z' },
      { source: 'anthropic', requests: { limit: 50, resetMs: 0 } },
    ],
    ['no rate-limit headers', { 'content-type': 'application/json', 'retry-after': '3' }, undefined],
    ['a zero limit is a placeholder, not a limit', { 'x-ratelimit-limit-requests': '0' }, undefined],
    ['remaining without a limit', { 'x-ratelimit-remaining-requests': '5' }, undefined],
  ])('%s', (_name, headers, expected) => {
    expect(parseRateLimitHeaders(headers, NOW)).toEqual(expected);
  });
});
