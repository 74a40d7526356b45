import { describe, expect, it } from 'vitest';
import { DEFAULT_BEHAVIOUR } from '../../src/mock/options.js';
import { RateLimiter } from '../../src/mock/rate-limits.js';

describe('RateLimiter', () => {
  it('is inactive without limits', () => {
    expect(new RateLimiter(DEFAULT_BEHAVIOUR, 0).active).toBe(false);
  });

  it('admits a full minute of requests, then refills continuously', () => {
    const limiter = new RateLimiter({ ...DEFAULT_BEHAVIOUR, rpm: 60 }, 0);
    for (let i = 0; i < 60; i++) expect(limiter.check(1, 1, 0).allowed).toBe(true);
    const refused = limiter.check(1, 1, 0);
    expect(refused).toMatchObject({ allowed: false, limitedBy: 'requests', waitMs: 1000 });
    expect(refused.limits[0]).toMatchObject({ name: 'requests', limit: 60, remaining: 0, resetMs: 60_000 });
    expect(limiter.check(1, 1, 500).allowed).toBe(false);
    expect(limiter.check(1, 1, 1000).allowed).toBe(true);
  });

  it('charges input + output tokens against tpm and reports the slowest limit', () => {
    const limiter = new RateLimiter({ ...DEFAULT_BEHAVIOUR, rpm: 1000, tpm: 600, outputTpm: 100 }, 0);
    expect(limiter.check(250, 50, 0)).toMatchObject({ allowed: true });
    const decision = limiter.check(250, 60, 0);
    // output: 50 left of 100, needs 60 → 10 tokens at 100/min = 6 s; tokens: 300 left, needs 310 → 1 s.
    expect(decision).toMatchObject({ allowed: false, limitedBy: 'output-tokens', waitMs: 6000 });
    expect(decision.limits.map((l) => l.name)).toEqual(['requests', 'tokens', 'output-tokens']);
  });

  it('admits a request larger than the whole limit on a full bucket instead of refusing it forever', () => {
    const limiter = new RateLimiter({ ...DEFAULT_BEHAVIOUR, tpm: 100 }, 0);
    expect(limiter.check(500, 0, 0).allowed).toBe(true);
    expect(limiter.check(1, 0, 1000).allowed).toBe(false);
  });
});
