/**
 * Anthropic prompt caching, simulated. A block marked `cache_control` ends a cacheable prefix
 * (tools → system → messages, in that order). The first request with a given prefix writes it
 * (`cache_creation_input_tokens`); later ones within the TTL read it (`cache_read_input_tokens`).
 * Like Anthropic, the longest cached prefix is read and the rest up to the last breakpoint is written.
 */

/** The end of one cacheable prefix: a key for everything before it and its size. */
export interface CacheBreakpoint {
  key: string;
  tokens: number;
}

export interface CacheUsage {
  read: number;
  write: number;
}

/** Bound memory for long soak runs; the oldest (least recently used) prefixes go first. */
const MAX_ENTRIES = 100_000;

export class PromptCache {
  /** key → expiry (epoch ms). Map order doubles as LRU order: touched entries are re-inserted. */
  private readonly entries = new Map<string, number>();

  clear(): void {
    this.entries.clear();
  }

  /**
   * Read and write the cache for one successful request. `totalInput` bounds the result, so
   * `input_tokens = totalInput - read - write` is never negative.
   */
  use(breakpoints: readonly CacheBreakpoint[], totalInput: number, now: number, ttlMs: number, minTokens: number): CacheUsage {
    const eligible = breakpoints.filter((b) => b.tokens >= minTokens && b.tokens > 0);
    if (eligible.length === 0) return { read: 0, write: 0 };
    let read = 0;
    for (let i = eligible.length - 1; i >= 0; i--) {
      const expiresAt = this.entries.get(eligible[i].key);
      if (expiresAt !== undefined && expiresAt > now) {
        read = Math.min(eligible[i].tokens, totalInput);
        break;
      }
    }
    const last = eligible[eligible.length - 1];
    const write = Math.max(0, Math.min(last.tokens, totalInput) - read);
    // Reading refreshes the TTL and writing creates entries: either way every breakpoint is now cached.
    for (const b of eligible) this.touch(b.key, now + ttlMs);
    return { read, write };
  }

  private touch(key: string, expiresAt: number): void {
    this.entries.delete(key);
    this.entries.set(key, expiresAt);
    if (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
