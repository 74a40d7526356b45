import { UsageError } from '../errors.js';

/** One part of a `--shard k/n` split. */
export interface Shard {
  /** 0-based shard number (`k - 1`). */
  index: number;
  /** How many shards the input is split into (`n`). */
  count: number;
}

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * The 0-based shard an id belongs to. This is a public contract (n machines must agree, across versions):
 * FNV-1a 32-bit over the id's UTF-8 bytes, then MurmurHash3's fmix32 finaliser (FNV's low bits alone split
 * sequential ids unevenly), then modulo `count`.
 */
export function shardOf(id: string, count: number): number {
  return idHash(id) % count;
}

/** The id's 32-bit hash (FNV-1a, then fmix32): `--shard` and `--sample` pick items by it. */
export function idHash(id: string): number {
  const bytes = Buffer.from(id, 'utf8');
  let hash = FNV_OFFSET_BASIS;
  for (let i = 0; i < bytes.length; i += 1) {
    hash ^= bytes[i];
    hash = Math.imul(hash, FNV_PRIME);
  }
  return mixBits(hash);
}

/** Parses `k/n` (k is 1-based) into a 0-based shard. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const k = match ? Number(match[1]) : NaN;
  const n = match ? Number(match[2]) : NaN;
  if (!Number.isSafeInteger(k) || !Number.isSafeInteger(n) || n < 1 || k < 1 || k > n) {
    throw new UsageError(`Expected \`--shard\` to be k/n with 1 ≤ k ≤ n (for example 1/4), got \`${text}\``);
  }
  return { index: k - 1, count: n };
}

function mixBits(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
