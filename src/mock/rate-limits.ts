/**
 * Server-side rpm/tpm enforcement. Each limit is a token bucket holding one minute's allowance that
 * refills continuously: what OpenAI documents and Anthropic approximates, and what makes
 * `remaining`/`reset` headers meaningful at every instant rather than only at window edges.
 */
import type { MockBehaviour } from './options.js';

export type LimitName = 'requests' | 'tokens' | 'input-tokens' | 'output-tokens';

/** One limit's state as the rate-limit headers report it. */
export interface LimitState {
  name: LimitName;
  limit: number;
  remaining: number;
  /** Milliseconds until the bucket is full again. */
  resetMs: number;
}

export type LimitDecision =
  | { allowed: true; limits: LimitState[] }
  | { allowed: false; limits: LimitState[]; limitedBy: LimitName; waitMs: number };

const WINDOW_MS = 60_000;

class TokenBucket {
  private level: number;
  private updatedAt: number;
  private readonly perMs: number;

  constructor(readonly name: LimitName, readonly capacity: number, now: number) {
    this.level = capacity;
    this.updatedAt = now;
    this.perMs = capacity / WINDOW_MS;
  }

  refill(now: number): void {
    if (now > this.updatedAt) {
      this.level = Math.min(this.capacity, this.level + (now - this.updatedAt) * this.perMs);
      this.updatedAt = now;
    }
  }

  /**
   * Milliseconds until `amount` fits. A request larger than the whole limit is admitted on a full
   * bucket (driving it negative) so it slows everyone down instead of starving forever.
   */
  waitFor(amount: number): number {
    const needed = Math.min(amount, this.capacity) - this.level;
    return needed <= 0 ? 0 : Math.ceil(needed / this.perMs);
  }

  take(amount: number): void {
    this.level -= amount;
  }

  state(exhausted = false): LimitState {
    return {
      name: this.name,
      limit: this.capacity,
      remaining: exhausted ? 0 : Math.max(0, Math.floor(this.level)),
      resetMs: Math.ceil((this.capacity - this.level) / this.perMs),
    };
  }
}

/** The configured limits; `check` admits a request (and charges it) or says how long to wait. */
export class RateLimiter {
  private readonly buckets: TokenBucket[];

  constructor(behaviour: MockBehaviour, now: number) {
    const limits: Array<[LimitName, number | undefined]> = [
      ['requests', behaviour.rpm],
      ['tokens', behaviour.tpm],
      ['input-tokens', behaviour.inputTpm],
      ['output-tokens', behaviour.outputTpm],
    ];
    this.buckets = limits.flatMap(([name, limit]) => (limit === undefined ? [] : [new TokenBucket(name, limit, now)]));
  }

  get active(): boolean {
    return this.buckets.length > 0;
  }

  check(inputTokens: number, outputTokens: number, now: number): LimitDecision {
    const costs: Record<LimitName, number> = {
      requests: 1,
      tokens: inputTokens + outputTokens,
      'input-tokens': inputTokens,
      'output-tokens': outputTokens,
    };
    let limitedBy: LimitName | undefined;
    let waitMs = 0;
    for (const bucket of this.buckets) {
      bucket.refill(now);
      const wait = bucket.waitFor(costs[bucket.name]);
      if (wait > waitMs) {
        waitMs = wait;
        limitedBy = bucket.name;
      }
    }
    if (limitedBy !== undefined) {
      return { allowed: false, limitedBy, waitMs, limits: this.buckets.map((b) => b.state(b.name === limitedBy)) };
    }
    for (const bucket of this.buckets) bucket.take(costs[bucket.name]);
    return { allowed: true, limits: this.buckets.map((b) => b.state()) };
  }
}
