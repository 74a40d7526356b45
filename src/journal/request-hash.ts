import { computeCacheKey, type CacheKeyInput } from '../cache/cache-key.js';

/** Hex digits of the cache key kept in each record: 64 bits, enough to tell two contents apart. */
export const REQUEST_HASH_LENGTH = 16;

/**
 * The short hash of what was asked that every record carries (SPEC §6, §7): the head of the response
 * cache key, so a run with the cache on computes it once for both.
 */
export function requestHashOfKey(cacheKey: string): string {
  return cacheKey.slice(0, REQUEST_HASH_LENGTH);
}

/** The request hash of a request, computed the way the cache key is. */
export function computeRequestHash(input: CacheKeyInput): string {
  return requestHashOfKey(computeCacheKey(input));
}

/** Hex digits of a request hash kept per done id on resume: 32 bits, one typed-array slot per id. */
const TAG_HEX_DIGITS = 8;

/**
 * The 32-bit tag a resumed run keeps per done id (its request hash's first 8 hex digits). Never 0:
 * 0 means "recorded without a hash" (an output written before hashes existed), which is not checked.
 */
export function tagOfRequestHash(hash: string): number {
  const tag = Number.parseInt(hash.slice(0, TAG_HEX_DIGITS), 16);
  return Number.isFinite(tag) && tag !== 0 ? tag >>> 0 : 1;
}

/** The same tag, read from the hex digits at `buffer[start, start + 8)`; 0 when they are not hex. */
export function tagOfHexBytes(buffer: Buffer, start: number): number {
  let tag = 0;
  for (let i = start; i < start + TAG_HEX_DIGITS; i += 1) {
    const digit = hexValue(buffer[i]);
    if (digit < 0) return 0;
    tag = tag * 16 + digit;
  }
  return tag === 0 ? 1 : tag >>> 0;
}

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x61 + 10;
  return -1;
}
