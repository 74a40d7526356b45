import { readInput } from '../input/open-input.js';
import type { InputSource } from '../input/types.js';

/** The column of the item id, written first when there is no input to join. */
export const ID_COLUMN = 'id';

/** The prefix given to an input column whose name a result column already uses. */
const INPUT_PREFIX = 'input.';

/** The result columns, in order: `output`, `parsed.*`, `cost_usd`, `model`, and `error` when asked for. */
export function resultColumns(parsedColumns: string[], includeFailed: boolean): string[] {
  return ['output', ...parsedColumns, 'cost_usd', 'model', ...(includeFailed ? ['error'] : [])];
}

/**
 * Names input columns so they never clash with result columns: an input column called `output` (or
 * `model`, or `parsed.x`) becomes `input.output`, and so on until the name is free. Memoized, since it is
 * asked once per key per row.
 */
export function createInputColumnNamer(taken: string[]): (key: string) => string {
  const reserved = new Set(taken);
  const names = new Map<string, string>();
  return (key) => {
    let name = names.get(key);
    if (name === undefined) {
      name = key;
      while (reserved.has(name)) name = `${INPUT_PREFIX}${name}`;
      names.set(key, name);
    }
    return name;
  };
}

/**
 * The input's columns for a CSV header: a CSV/TSV input's header row (read from its first item); for JSONL,
 * the union of every row's top-level keys in first-seen order, which takes one streaming pass.
 */
export async function collectInputColumns(source: InputSource): Promise<string[]> {
  const columns = new Set<string>();
  const firstRowIsEnough = source.format !== 'jsonl';
  for await (const event of readInput(source)) {
    if (event.kind !== 'item') continue;
    for (const key of Object.keys(event.item.data)) columns.add(key);
    if (firstRowIsEnough) break;
  }
  return [...columns];
}

/** A value as CSV text: empty for null/absent, JSON text for arrays and objects, the string itself otherwise. */
export function toCsvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
