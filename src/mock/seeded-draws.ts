/**
 * What the mock's scripted misbehaviour needs: a seeded random draw (reproducible with `--seed`) and a count
 * of attempts per exact request (for "fail the first N attempts" markers).
 */
import { createRng, type Random } from './hash.js';

export class SeededDraws {
  protected random: Random;
  private readonly attempts = new Map<string, number>();

  constructor(seed: number) {
    this.random = createRng(seed);
  }

  reseed(seed: number): void {
    this.random = createRng(seed);
  }

  /** Forget attempt counts (between tests). */
  clear(): void {
    this.attempts.clear();
  }

  /** This request's attempt number, counting this one (1 for the first). */
  protected nextAttempt(requestKey: string): number {
    const attempt = (this.attempts.get(requestKey) ?? 0) + 1;
    this.attempts.set(requestKey, attempt);
    return attempt;
  }
}
