import { UsageError } from '../errors.js';
import { readInputBatches } from './open-input.js';
import { idHash, type Shard } from './shard.js';
import type { InputSource } from './types.js';

/**
 * `--sample n --seed s`: the n items whose hash of (seed, id) is smallest. The same input, seed and n always
 * give the same items, in any order of the rows, so a sample run can be resumed and shared; a different
 * seed gives another sample. One pass over the input, keeping n ids.
 */
export async function sampleIds(source: InputSource, count: number, seed: string, shard?: Shard): Promise<Set<string>> {
  if (source.path === '-') throw new UsageError('--sample needs an input file: stdin cannot be read twice');
  const kept: Array<{ hash: number; id: string }> = [];
  for await (const events of readInputBatches(source, { shard })) {
    for (const event of events) {
      if (event.kind !== 'item') continue;
      const hash = idHash(`${seed}\u0000${event.item.id}`);
      if (kept.length === count && hash >= kept[count - 1].hash) continue;
      kept.splice(insertionPoint(kept, hash), 0, { hash, id: event.item.id });
      if (kept.length > count) kept.pop();
    }
  }
  return new Set(kept.map((entry) => entry.id));
}

function insertionPoint(sorted: ReadonlyArray<{ hash: number }>, hash: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid].hash <= hash) low = mid + 1;
    else high = mid;
  }
  return low;
}
