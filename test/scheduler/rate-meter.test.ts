import { describe, expect, it } from 'vitest';
import { RateMeter } from '../../src/scheduler/rate-meter.js';

describe('RateMeter', () => {
  it('is 0 before anything happened', () => {
    expect(new RateMeter().perMinute(1000)).toBe(0);
  });

  it('counts over at least one second, so a start-up burst is not extrapolated', () => {
    const meter = new RateMeter();
    for (let i = 0; i < 10; i += 1) meter.record(100_000);
    expect(meter.perMinute(100_050)).toBe(600);
  });

  it('measures a steady pace over the window and forgets older dispatches', () => {
    const meter = new RateMeter();
    for (let t = 0; t < 20_000; t += 100) meter.record(t);
    expect(meter.perMinute(20_000)).toBeCloseTo(600, -1);
    expect(meter.perMinute(40_000)).toBe(0);
  });
});
