import { describe, expect, it } from 'vitest';
import { FaultPlanner } from '../../src/mock/faults.js';
import { resolveBehaviour } from '../../src/mock/options.js';

const plain = resolveBehaviour({});

describe('FaultPlanner', () => {
  it('injects nothing by default', () => {
    const planner = new FaultPlanner(1);
    expect(planner.plan(plain, 'hello', () => 'k')).toBeUndefined();
  });

  it.each([
    ['[[fault:400]] x', '400'],
    ['x [[fault:401]]', '401'],
    ['[[fault:500]]', '500'],
    ['[[FAULT:hang]]', 'hang'],
    ['[[fault:truncated]]', 'truncated'],
  ])('marker %s → %s, every time', (prompt, fault) => {
    const planner = new FaultPlanner(1);
    for (let i = 0; i < 3; i++) expect(planner.plan(plain, prompt, () => 'k')).toBe(fault);
  });

  it('[[flaky:N]] fails the first N attempts of the exact request with 500/429 alternately', () => {
    const planner = new FaultPlanner(1);
    const seq = Array.from({ length: 4 }, () => planner.plan(plain, 'a [[flaky:3]]', () => 'same'));
    expect(seq).toEqual(['500', '429', '500', undefined]);
    expect(planner.plan(plain, 'a [[flaky:3]]', () => 'other')).toBe('500');
  });

  it('failFirstAttempts applies to every distinct request; clear() forgets the counts', () => {
    const planner = new FaultPlanner(1);
    const b = resolveBehaviour({ failFirstAttempts: 1 });
    expect(planner.plan(b, 'p', () => 'a')).toBe('500');
    expect(planner.plan(b, 'p', () => 'a')).toBeUndefined();
    expect(planner.plan(b, 'p', () => 'b')).toBe('500');
    planner.clear();
    expect(planner.plan(b, 'p', () => 'a')).toBe('500');
  });

  it('failRate picks kinds from the mix, reproducibly for a seed', () => {
    const b = resolveBehaviour({ failRate: 0.5, faultMix: { '503': 1, reset: 3 } });
    const run = (seed: number) => {
      const planner = new FaultPlanner(seed);
      return Array.from({ length: 2000 }, () => planner.plan(b, 'p', () => 'k'));
    };
    const faults = run(9);
    expect(run(9)).toEqual(faults);
    const count = (kind: string | undefined) => faults.filter((f) => f === kind).length;
    expect(count(undefined)).toBeGreaterThan(850);
    expect(count(undefined)).toBeLessThan(1150);
    expect(count('reset')).toBeGreaterThan(count('503') * 2);
    expect(new Set(faults)).toEqual(new Set([undefined, '503', 'reset']));
  });
});
