import { describe, expect, it } from 'vitest';
import {
  requestLimiterSettings,
  TOKEN_REFILL_MS,
  tokenBucketCapacity,
  tokenBucketSettings,
  tokenCharge,
} from '../../src/scheduler/limiter-settings.js';

describe('limiter settings', () => {
  it('spaces requests evenly for an rpm and not at all without one', () => {
    expect(requestLimiterSettings(16, 600)).toEqual({ maxConcurrent: 16, minTime: 100 });
    expect(requestLimiterSettings(64, undefined)).toEqual({ maxConcurrent: 64, minTime: 0 });
  });

  it('refills the token bucket in small steps up to ten seconds of tokens', () => {
    expect(tokenBucketSettings(60_000)).toEqual({
      reservoirIncreaseInterval: TOKEN_REFILL_MS / 2,
      reservoirIncreaseAmount: 100,
      reservoirIncreaseMaximum: 10_000,
    });
    expect(tokenBucketSettings(undefined)).toMatchObject({ reservoir: null, reservoirIncreaseAmount: null });
    expect(tokenBucketCapacity(60_000)).toBe(10_000);
    expect(tokenBucketCapacity(3)).toBe(1);
  });

  it.each([
    [60_000, { reservoirIncreaseInterval: 100, reservoirIncreaseAmount: 100, reservoirIncreaseMaximum: 10_000 }],
    [100_000, { reservoirIncreaseInterval: (167 * 60_000) / 100_000, reservoirIncreaseAmount: 167, reservoirIncreaseMaximum: 16_666 }],
    [1_000, { reservoirIncreaseInterval: 120, reservoirIncreaseAmount: 2, reservoirIncreaseMaximum: 166 }],
    [10, { reservoirIncreaseInterval: 6_000, reservoirIncreaseAmount: 1, reservoirIncreaseMaximum: 1 }],
  ])('in Redis, refills %s tpm in whole tokens at the exact rate: %j', (tpm, expected) => {
    const settings = tokenBucketSettings(tpm, true);
    expect(settings).toEqual(expected);
    const perMinute = ((settings.reservoirIncreaseAmount as number) * 60_000) / (settings.reservoirIncreaseInterval as number);
    expect(perMinute).toBeCloseTo(tpm, 6);
  });

  it.each([
    [500, 1000, { weight: 500, debt: 0 }],
    [1000, 1000, { weight: 1000, debt: 0 }],
    [2500, 1000, { weight: 1000, debt: 1500 }],
    [10.2, 1000, { weight: 11, debt: 0 }],
    [0, 1000, { weight: 0, debt: 0 }],
    [-5, 1000, { weight: 0, debt: 0 }],
    [100, 99.5, { weight: 99, debt: 1 }],
  ])('charges %s tokens to a bucket of %s as %j', (tokens, capacity, expected) => {
    expect(tokenCharge(tokens, capacity)).toEqual(expected);
  });
});
