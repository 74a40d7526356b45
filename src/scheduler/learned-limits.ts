import type { RateLimitSnapshot, RateLimitWindow } from './rate-limit-headers.js';

/** The limits a provider reports, one per bucket it keeps (per minute). */
export interface LearnedLimits {
  rpm?: number;
  /** OpenAI's token limit (input + output), or Anthropic's combined one when it sends no split. */
  tpm?: number;
  /** Anthropic's input-token limit (ITPM): cache reads are not charged to it. */
  inputTpm?: number;
  /** Anthropic's output-token limit (OTPM). */
  outputTpm?: number;
}

/** The buckets a run may pace by, named like {@link LearnedLimits}' token keys. */
export const TOKEN_LIMITS = ['tpm', 'inputTpm', 'outputTpm'] as const;
export type TokenLimit = (typeof TOKEN_LIMITS)[number];
/** Every limit a provider paces us by: requests, then the token kinds. */
export const LIMITS = ['rpm', ...TOKEN_LIMITS] as const;
export type Limit = (typeof LIMITS)[number];

/**
 * Share of a learned limit the buckets refill at: timers only ever fire late and the provider's bucket
 * refills exactly at the limit, so ours at 98% never outruns it, while a run still gets within 2% of the
 * limit (SPEC §12 row c asks for 95%).
 */
export const LEARNED_LIMIT_SHARE = 0.98;

/**
 * The limits in a snapshot, each its own bucket. Both providers' `limit` headers are per-minute limits
 * whatever the reset says: OpenAI's reset is the time until the bucket is full again (`6m0s` in its own
 * documentation for a large token limit), not the length of a window. Anthropic reports input and output
 * tokens apart (and `tokens` as "the most restrictive in effect"): when the split is there it is used.
 */
export function limitsFromSnapshot(snapshot: RateLimitSnapshot): LearnedLimits {
  const limits: LearnedLimits = {};
  if (snapshot.requests !== undefined) limits.rpm = snapshot.requests.limit;
  const { inputTokens, outputTokens } = snapshot;
  if (inputTokens !== undefined || outputTokens !== undefined) {
    if (inputTokens !== undefined) limits.inputTpm = inputTokens.limit;
    if (outputTokens !== undefined) limits.outputTpm = outputTokens.limit;
  } else if (snapshot.tokens !== undefined) {
    limits.tpm = snapshot.tokens.limit;
  }
  return limits;
}

/** The window a snapshot reports for one of our buckets. */
export function windowFor(snapshot: RateLimitSnapshot, limit: Limit): RateLimitWindow | undefined {
  if (limit === 'rpm') return snapshot.requests;
  if (limit === 'inputTpm') return snapshot.inputTokens;
  if (limit === 'outputTpm') return snapshot.outputTokens;
  return snapshot.inputTokens === undefined && snapshot.outputTokens === undefined ? snapshot.tokens : undefined;
}

/** Whether the headers show a window used up: a 429 carrying them is the account's limit, not chance. */
export function isExhausted(snapshot: RateLimitSnapshot): boolean {
  return [snapshot.requests, snapshot.tokens, snapshot.inputTokens, snapshot.outputTokens].some(
    (window) => window !== undefined && window.remaining !== undefined && window.remaining < 1,
  );
}

/** Whether two learned limits differ. */
export function limitsDiffer(a: LearnedLimits, b: LearnedLimits): boolean {
  return a.rpm !== b.rpm || a.tpm !== b.tpm || a.inputTpm !== b.inputTpm || a.outputTpm !== b.outputTpm;
}
