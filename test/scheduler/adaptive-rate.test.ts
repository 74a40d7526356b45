import { describe, expect, it } from 'vitest';
import { AdaptiveRate } from '../../src/scheduler/adaptive-rate.js';

describe('AdaptiveRate', () => {
  it('cuts the factor by 0.7 and pauses until the advised time on a 429', () => {
    const aimd = new AdaptiveRate();
    expect(aimd.onRateLimited(1000, 2000)).toEqual({ factor: 0.7, pauseUntil: 3000, pauseMs: 2000, newWindow: true });
    expect(aimd.isPaused(2999)).toBe(true);
    expect(aimd.isPaused(3000)).toBe(false);
  });

  it('treats 429s inside the window as one episode: one decrease, later advice extends the pause', () => {
    const aimd = new AdaptiveRate();
    aimd.onRateLimited(0, 1000);
    expect(aimd.onRateLimited(10, 500)).toEqual({ factor: 0.7, pauseUntil: 1000, pauseMs: 990, newWindow: false });
    expect(aimd.onRateLimited(20, 3000)).toEqual({ factor: 0.7, pauseUntil: 3020, pauseMs: 3000, newWindow: false });
    const next = aimd.onRateLimited(3020, 1000);
    expect(next.newWindow).toBe(true);
    expect(next.factor).toBeCloseTo(0.49);
  });

  it('keeps a minimum window even when Retry-After is 0', () => {
    const aimd = new AdaptiveRate({ minWindowMs: 1000 });
    expect(aimd.onRateLimited(0, 0)).toEqual({ factor: 0.7, pauseUntil: 0, pauseMs: 0, newWindow: true });
    expect(aimd.onRateLimited(999, 0).newWindow).toBe(false);
    expect(aimd.onRateLimited(1000, 0).newWindow).toBe(true);
  });

  it('backs off 1 s, 2 s, 4 s … capped, without advice, and resets after a success', () => {
    const aimd = new AdaptiveRate({ initialBackoffMs: 1000, maxBackoffMs: 3000 });
    expect(aimd.onRateLimited(0).pauseMs).toBe(1000);
    expect(aimd.onRateLimited(1000).pauseMs).toBe(2000);
    expect(aimd.onRateLimited(3000).pauseMs).toBe(3000);
    aimd.onSuccess(6000);
    expect(aimd.onRateLimited(6000).pauseMs).toBe(1000);
  });

  it('never goes below the minimum factor', () => {
    const aimd = new AdaptiveRate({ minFactor: 0.2, minWindowMs: 0 });
    let now = 0;
    for (let i = 0; i < 20; i += 1) now = aimd.onRateLimited(now, 10).pauseUntil;
    expect(aimd.factor).toBe(0.2);
  });

  it('climbs back additively after the pause, capped at 1 for a known limit', () => {
    const aimd = new AdaptiveRate({ increaseStep: 0.1 });
    aimd.onRateLimited(0, 1000);
    expect(aimd.onSuccess(500)).toEqual({ factor: 0.7, changed: false });
    expect(aimd.onSuccess(1000).factor).toBeCloseTo(0.8);
    aimd.onSuccess(1001);
    aimd.onSuccess(1002);
    expect(aimd.onSuccess(1003)).toEqual({ factor: 1, changed: true });
    expect(aimd.onSuccess(1004)).toEqual({ factor: 1, changed: false });
  });

  it('probes past 1 when the reference was only guessed, and clamps when a real limit appears', () => {
    const aimd = new AdaptiveRate({ increaseStep: 0.5 });
    aimd.setUncapped(true);
    aimd.onSuccess(0);
    expect(aimd.factor).toBe(1.5);
    expect(aimd.setUncapped(false)).toEqual({ factor: 1, changed: true });
  });

});

describe('AdaptiveRate: overload (529) pauses without slowing down', () => {
  it('keeps the factor but still pauses for the advised time', () => {
    const aimd = new AdaptiveRate();
    const decision = aimd.onRateLimited(1_000, 2_000, { decrease: false });
    expect(decision).toMatchObject({ factor: 1, pauseMs: 2_000, newWindow: true });
    expect(aimd.isPaused(2_500)).toBe(true);
    expect(aimd.onRateLimited(10_000, 500).factor).toBeCloseTo(0.7);
  });
});
