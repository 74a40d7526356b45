/**
 * A user's own price list: `{ "model-name": { "input": 0.15, "output": 0.6, "cached_input": 0.075,
 * "cache_write": 0.1875, "batch_discount": 0.5 } }`, USD per 1M tokens. `input` and `output` are
 * required; the rest default as for any other source.
 */

import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import type { PriceEntry } from './price-table.js';

/** Model name → price, as loaded from a price file. */
export type PriceFile = ReadonlyMap<string, PriceEntry>;

/** File keys and the `PriceEntry` field each one fills. */
const FIELD_FOR_KEY: Readonly<Record<string, keyof PriceEntry>> = {
  input: 'input',
  output: 'output',
  cached_input: 'cachedInput',
  cache_write: 'cacheWrite',
  batch_discount: 'batchDiscount',
};

const REQUIRED_KEYS = ['input', 'output'] as const;

/** Read and validate a price file; a UsageError names the file and the offending entry. */
export async function loadPriceFile(path: string): Promise<PriceFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`Cannot read price file ${path}: ${reason}`);
  }
  return parsePriceFile(text, path);
}

/** Validate a price file's text; `path` only names the file in messages. */
export function parsePriceFile(text: string, path: string): PriceFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`Price file ${path} is not valid JSON: ${reason}`);
  }
  if (!isPlainObject(json)) {
    throw new UsageError(`Price file ${path} must be a JSON object of model name → price, got ${describe(json)}`);
  }
  const prices = new Map<string, PriceEntry>();
  for (const [model, value] of Object.entries(json)) {
    prices.set(model, parseEntry(value, model, path));
  }
  return prices;
}

function parseEntry(value: unknown, model: string, path: string): PriceEntry {
  const where = `Price file ${path}, model "${model}"`;
  if (!isPlainObject(value)) {
    throw new UsageError(`${where}: expected an object like {"input": 0.15, "output": 0.6}, got ${describe(value)}`);
  }
  const entry: Partial<Record<keyof PriceEntry, number>> = {};
  for (const [key, rate] of Object.entries(value)) {
    const field = FIELD_FOR_KEY[key];
    if (!field) {
      const known = Object.keys(FIELD_FOR_KEY).join(', ');
      throw new UsageError(`${where}: unknown key "${key}" (expected ${known})`);
    }
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) {
      throw new UsageError(`${where}: expected "${key}" to be a number of USD per 1M tokens ≥ 0, got ${describe(rate)}`);
    }
    entry[field] = rate;
  }
  for (const key of REQUIRED_KEYS) {
    if (entry[key] === undefined) throw new UsageError(`${where}: "${key}" is required`);
  }
  return entry as PriceEntry;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'string' ? JSON.stringify(value) : `${typeof value} ${JSON.stringify(value)}`;
}
