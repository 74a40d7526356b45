/**
 * Builds the prompt-cache breakpoints of an Anthropic request while it is parsed: a running hash and
 * size of everything so far (tools → system → messages), snapshotted at each `cache_control` block.
 * Hashing waits until a marked block appears, so requests without caching pay nothing for it.
 */
import { tokensForChars } from './answer.js';
import { hashString } from './hash.js';
import type { CacheBreakpoint } from './prompt-cache.js';

const SECOND_SEED = 0x2545f491;

export class CacheKeyBuilder {
  readonly breakpoints: CacheBreakpoint[] = [];
  private hashA: number;
  private hashB: number;
  private chars = 0;
  private pending: string[] = [];

  /** Caches are per model, so the model seeds the running hash. */
  constructor(model: string) {
    this.hashA = hashString(model);
    this.hashB = hashString(model, SECOND_SEED);
  }

  /** Append one block's content; `marked` when the block carries `cache_control`. */
  add(text: string, marked: boolean): void {
    this.pending.push(text);
    this.chars += text.length;
    if (!marked) return;
    for (const block of this.pending) {
      // A separator keeps ["ab","c"] and ["a","bc"] apart.
      this.hashA = hashString(block, hashString('\u0000', this.hashA));
      this.hashB = hashString(block, hashString('\u0000', this.hashB));
    }
    this.pending = [];
    this.breakpoints.push({ key: `${this.hashA.toString(16)}:${this.hashB.toString(16)}`, tokens: tokensForChars(this.chars) });
  }
}
