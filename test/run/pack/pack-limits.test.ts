import { describe, expect, it } from 'vitest';
import { choosePackSize, groupForRequests, PACK_OUTPUT_TOKEN_CAP } from '../../../src/run/pack/pack-limits.js';

describe('choosePackSize', () => {
  it.each([
    { requested: 10, maxTokens: undefined, size: 10, reduced: false },
    { requested: 16, maxTokens: undefined, size: 16, reduced: false },
    { requested: 50, maxTokens: undefined, size: 16, reduced: true },
    { requested: 100, maxTokens: 100, size: 100, reduced: false },
    { requested: 500, maxTokens: 100, size: 163, reduced: true },
    { requested: 10, maxTokens: 4096, size: 4, reduced: true },
    { requested: 3, maxTokens: 100_000, size: 1, reduced: true },
  ])('--pack $requested with max tokens $maxTokens → $size', ({ requested, maxTokens, size, reduced }) => {
    const chosen = choosePackSize(requested, maxTokens);
    expect(chosen.size).toBe(size);
    expect(chosen.size * chosen.itemOutputTokens <= PACK_OUTPUT_TOKEN_CAP || chosen.size === 1).toBe(true);
    expect(chosen.reducedBecause !== undefined).toBe(reduced);
  });

  it('says why it packs fewer than asked', () => {
    expect(choosePackSize(50, 2048).reducedBecause).toMatch(/--pack 50: with --max-tokens 2048 .* at most 8 answers/);
  });
});

describe('groupForRequests', () => {
  const c = (value: string, tokens: number, prefixKey = 'p', prefixTokens = 10) => ({ value, tokens, prefixKey, prefixTokens });

  it.each([
    { name: 'all fit', candidates: [c('a', 10), c('b', 10), c('c', 10)], budget: 100, groups: [['a', 'b', 'c']] },
    { name: 'budget splits in order', candidates: [c('a', 40), c('b', 40), c('c', 40)], budget: 100, groups: [['a', 'b'], ['c']] },
    { name: 'the prefix counts once per request', candidates: [c('a', 45, 'p', 50), c('b', 5, 'p', 50)], budget: 100, groups: [['a', 'b']] },
    { name: 'a too-large item goes alone', candidates: [c('a', 10), c('big', 500), c('b', 10)], budget: 100, groups: [['a'], ['big'], ['b']] },
    { name: 'different prefixes never share', candidates: [c('a', 1, 'x'), c('b', 1, 'y'), c('c', 1, 'x')], budget: 100, groups: [['a', 'c'], ['b']] },
    { name: 'nothing', candidates: [], budget: 100, groups: [] },
  ])('$name', ({ candidates, budget, groups }) => {
    expect(groupForRequests(candidates, budget)).toEqual(groups);
  });
});
