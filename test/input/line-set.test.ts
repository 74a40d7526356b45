import { describe, expect, it } from 'vitest';
import { LineSet } from '../../src/input/line-set.js';

describe('LineSet', () => {
  it('holds the lines added, across word boundaries and growth', () => {
    const lines = new LineSet();
    const added = [1, 31, 32, 33, 1000, 40_000, 1_000_001];
    for (const line of added) lines.add(line);
    for (const line of added) expect(lines.has(line)).toBe(true);
    for (const line of [0, 2, 30, 34, 999, 39_999, 1_000_000, 1_000_002, 5_000_000]) expect(lines.has(line)).toBe(false);
  });
});
