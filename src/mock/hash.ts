/**
 * Fast, dependency-free hashing and a seeded RNG: the mock must be deterministic and cheap enough that
 * benchmarks measure the client, not the server.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a over UTF-16 code units (we only need spread, not cryptographic strength). */
export function hashString(text: string, seed = FNV_OFFSET): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/** A 64-bit-ish key as hex: two independent 32-bit hashes make accidental collisions negligible. */
export function hashKey(text: string): string {
  return hashString(text).toString(16) + hashString(text, 0x01234567).toString(16);
}

/** A random source returning floats in [0, 1), like `Math.random`. */
export type Random = () => number;

/** Mulberry32: tiny, fast and good enough for picking answers and faults reproducibly. */
export function createRng(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One element of a non-empty list, chosen by `random`. */
export function pick<T>(items: readonly T[], random: Random): T {
  return items[Math.floor(random() * items.length)];
}

/** An integer in [min, max], both inclusive. */
export function randomInt(min: number, max: number, random: Random): number {
  return min + Math.floor(random() * (max - min + 1));
}
