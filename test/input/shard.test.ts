import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseShard, shardOf } from '../../src/input/shard.js';

describe('shardOf', () => {
  it('puts every id in exactly one shard, evenly, for n = 3 over 10k ids', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => String(i + 1));
    const shards: Set<string>[] = [new Set(), new Set(), new Set()];
    for (const id of ids) shards[shardOf(id, 3)].add(id);
    const union = new Set(shards.flatMap((shard) => [...shard]));
    expect(union.size).toBe(ids.length);
    expect(shards.reduce((sum, shard) => sum + shard.size, 0)).toBe(ids.length);
    for (const shard of shards) expect(shard.size).toBeGreaterThan(3_100);
  });

  it('splits sequential ids evenly for powers of two too', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 1; i <= 10_000; i += 1) counts[shardOf(`item-${i}`, 4)] += 1;
    for (const count of counts) expect(count).toBeGreaterThan(2_300);
  });

  it('is stable: these values are a contract between machines and versions', () => {
    // Cross-checked with an independent Python implementation of FNV-1a 32 + fmix32.
    expect(['1', '2', '3', 'a17', 'p001', 'Crème', '日本', ''].map((id) => shardOf(id, 3))).toEqual([
      1, 1, 2, 1, 1, 0, 0, 2,
    ]);
    expect(['1', '2', '3', 'a17', 'p001'].map((id) => shardOf(id, 10))).toEqual([1, 5, 3, 1, 1]);
  });

  it('always returns 0 for a single shard', () => {
    expect(shardOf('anything', 1)).toBe(0);
  });
});

describe('parseShard', () => {
  it.each([
    ['1/1', { index: 0, count: 1 }],
    ['1/4', { index: 0, count: 4 }],
    ['4/4', { index: 3, count: 4 }],
    [' 2 / 3 ', { index: 1, count: 3 }],
  ])('%s', (text, shard) => {
    expect(parseShard(text)).toEqual(shard);
  });

  it.each(['0/4', '5/4', '1/0', '1', 'a/b', '-1/3', '1.5/3', ''])('rejects %j', (text) => {
    expect(() => parseShard(text)).toThrow(UsageError);
    expect(() => parseShard(text)).toThrow(`got \`${text}\``);
  });
});
