import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/run/circuit-breaker.js';

const bad = (message = 'Unknown parameter: foo') => ({ class: 'bad_request' as const, status: 400, message });

describe('CircuitBreaker', () => {
  it('trips on the first n identical failures when nothing succeeded', () => {
    const breaker = new CircuitBreaker({ first: 3, streak: 100 });
    expect(breaker.failure(bad())).toBeUndefined();
    expect(breaker.failure(bad())).toBeUndefined();
    expect(breaker.failure(bad())).toMatch(/^the first 3 items all failed with the same error and none succeeded: 400 "Unknown parameter: foo"/);
  });

  it('does not trip on the first n once something succeeded, nor on differing errors; a long streak still trips', () => {
    const breaker = new CircuitBreaker({ first: 3, streak: 5 });
    breaker.success();
    for (let i = 0; i < 4; i += 1) expect(breaker.failure(bad())).toBeUndefined();
    expect(breaker.failure(bad('another'))).toBeUndefined();
    for (let i = 0; i < 4; i += 1) expect(breaker.failure(bad('another'))).toEqual(i === 3 ? expect.stringMatching(/^5 items in a row failed/) : undefined);
  });

  it('ignores other classes (they reset the streak) and turns off with 0', () => {
    const breaker = new CircuitBreaker({ first: 2, streak: 0 });
    expect(breaker.failure(bad())).toBeUndefined();
    expect(breaker.failure({ class: 'server', status: 500, message: 'x' })).toBeUndefined();
    expect(breaker.failure(bad())).toBeUndefined();
    const off = new CircuitBreaker({ first: 0, streak: 0 });
    for (let i = 0; i < 50; i += 1) expect(off.failure(bad())).toBeUndefined();
  });
});
