import { describe, expect, it } from 'vitest';
import { MIN_SLOW_MS, SlowRequests } from '../../src/run/slow-requests.js';

describe('SlowRequests', () => {
  it('counts nothing as slow before the floor, whatever the typical latency', () => {
    const slow = new SlowRequests();
    slow.start(0);
    expect(slow.count(MIN_SLOW_MS)).toBe(0);
    expect(slow.count(MIN_SLOW_MS + 1)).toBe(1);
  });

  it('is relative to the run: 3× the typical latency when that is above the floor', () => {
    const slow = new SlowRequests();
    for (let i = 0; i < 5; i += 1) slow.end(slow.start(0), 8000);
    expect(slow.thresholdMs()).toBe(24_000);
    const hung = slow.start(100_000);
    slow.start(120_000);
    expect(slow.count(124_001)).toBe(1);
    slow.end(hung, 130_000);
    expect(slow.count(130_000)).toBe(0);
  });

  it('ignores an unknown or repeated end', () => {
    const slow = new SlowRequests();
    const id = slow.start(0);
    slow.end(id, 10);
    slow.end(id, 50_000);
    slow.end(99, 10);
    expect(slow.thresholdMs()).toBe(MIN_SLOW_MS);
  });
});

describe('SlowRequests.oldestAgeMs', () => {
  it('is the age of the oldest request still in flight, null when none is', () => {
    const slow = new SlowRequests();
    expect(slow.oldestAgeMs(0)).toBeNull();
    const first = slow.start(1_000);
    slow.start(5_000);
    expect(slow.oldestAgeMs(21_000)).toBe(20_000);
    slow.end(first, 22_000);
    expect(slow.oldestAgeMs(22_000)).toBe(17_000);
  });
});
