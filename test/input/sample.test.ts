import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { sampleIds } from '../../src/input/sample.js';
import { makeTempDir } from '../helpers/cli.js';

let temp: ReturnType<typeof makeTempDir> | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

function writeInput(name: string, ids: string[]): string {
  temp ??= makeTempDir();
  const path = join(temp.dir, name);
  writeFileSync(path, ids.map((id) => JSON.stringify({ id, text: `t${id}` })).join('\n'));
  return path;
}

const IDS = Array.from({ length: 200 }, (_, i) => `item-${i}`);

describe('sampleIds (--sample n --seed s)', () => {
  it('takes exactly n ids, the same ones for the same seed, whatever the order of the rows', async () => {
    const path = writeInput('a.jsonl', IDS);
    const shuffled = writeInput('b.jsonl', [...IDS].reverse());
    const first = await sampleIds({ path, format: 'jsonl' }, 10, '7');
    expect(first.size).toBe(10);
    expect(await sampleIds({ path, format: 'jsonl' }, 10, '7')).toEqual(first);
    expect(await sampleIds({ path: shuffled, format: 'jsonl' }, 10, '7')).toEqual(first);
    const other = await sampleIds({ path, format: 'jsonl' }, 10, '8');
    expect(other).not.toEqual(first);
    // A random pick, not the first rows.
    expect([...first].filter((id) => Number(id.slice(5)) < 10).length).toBeLessThan(10);
  });

  it('takes every item when n is at least their number, and keeps within a --shard', async () => {
    const path = writeInput('a.jsonl', IDS.slice(0, 5));
    expect(await sampleIds({ path, format: 'jsonl' }, 50, '0')).toEqual(new Set(IDS.slice(0, 5)));
    const all = writeInput('all.jsonl', IDS);
    const inShard = await sampleIds({ path: all, format: 'jsonl' }, 300, '0', { index: 0, count: 2 });
    expect(inShard.size).toBeGreaterThan(50);
    expect(inShard.size).toBeLessThan(150);
  });

  it('refuses stdin', async () => {
    await expect(sampleIds({ path: '-', format: 'jsonl' }, 5, '0')).rejects.toThrow(UsageError);
  });
});
