import type Bottleneck from 'bottleneck';

/**
 * Pure translation from rates to bottleneck settings.
 *
 * Requests: `minTime = 60000 / rpm` on the limiter that also bounds concurrency. OpenAI and Anthropic
 * limits are token buckets that refill continuously and start full, so requests spread evenly at our
 * target rate (97% of the limit) can never drain them, while a per-minute reservoir would release a whole
 * minute's requests at once at every refresh and trip the limit in a burst. Even spacing needs no burst
 * allowance: the provider's full bucket already absorbs the first requests.
 *
 * Tokens: a separate limiter whose reservoir is a token bucket (refilled in small steps, capped at a few
 * seconds' worth), because a job's `weight` also counts against `maxConcurrent` and token counts vary per
 * request, which minTime cannot express.
 */

/** The token bucket's refill step: short enough to pace smoothly, long enough to cost nothing. */
export const TOKEN_REFILL_MS = 100;

/**
 * Bucket size in seconds of the token rate: a burst at start-up or after idling, never more. A request
 * heavier than the bucket is charged the bucket and goes into debt for the rest (see `tokenCharge`).
 */
export const TOKEN_BURST_SECONDS = 10;

const MS_PER_MINUTE = 60_000;

/** Request limiter settings: concurrency, and even spacing when a request rate applies. */
export function requestLimiterSettings(concurrency: number, rpm: number | undefined): Bottleneck.ConstructorOptions {
  return { maxConcurrent: concurrency, minTime: rpm === undefined ? 0 : MS_PER_MINUTE / rpm };
}

/**
 * Request limiter settings for a limit learned from headers: no spacing, a bucket of `capacity` requests
 * refilled at `rpm`, like the provider's own, so the headroom it reports is spent at once.
 */
export function requestBucketSettings(
  concurrency: number,
  rpm: number,
  capacity: number,
  clustered: boolean,
): Bottleneck.ConstructorOptions {
  return { maxConcurrent: concurrency, minTime: 0, ...tokenBucketSettings(rpm, clustered, capacity) };
}

/**
 * Token limiter settings for a rate; `undefined` turns the bucket off (no limit known). `clustered`: the
 * bucket lives in Redis, whose Lua refill adds `amount` for every whole interval elapsed (the in-process
 * one adds it once per heartbeat) and whose reservoir is kept with HINCRBY, which refuses fractions — so
 * whole tokens per step, and the step's length stretched to keep the rate exact.
 */
export function tokenBucketSettings(
  tpm: number | undefined,
  clustered = false,
  capacity = tpm === undefined ? 0 : tokenBucketCapacity(tpm),
): Bottleneck.ConstructorOptions {
  if (tpm === undefined) {
    return {
      reservoir: null,
      reservoirIncreaseInterval: null,
      reservoirIncreaseAmount: null,
      reservoirIncreaseMaximum: null,
    };
  }
  if (clustered) {
    const amount = Math.max(1, Math.round((tpm * TOKEN_REFILL_MS) / MS_PER_MINUTE));
    return {
      reservoirIncreaseInterval: (amount * MS_PER_MINUTE) / tpm,
      reservoirIncreaseAmount: amount,
      reservoirIncreaseMaximum: capacity,
    };
  }
  return {
    // Half the heartbeat: bottleneck refills when `now >= last + interval` at each heartbeat, and a timer
    // that fires a millisecond early would otherwise skip every other refill and halve the rate.
    reservoirIncreaseInterval: TOKEN_REFILL_MS / 2,
    reservoirIncreaseAmount: (tpm * TOKEN_REFILL_MS) / MS_PER_MINUTE,
    reservoirIncreaseMaximum: capacity,
  };
}

/**
 * A bucket learned from headers holds what the provider's holds: a minute of the limit (both providers
 * describe their limits as buckets of that size, refilled continuously), whole, at least one.
 */
export function learnedBucketCapacity(limit: number): number {
  return Math.max(1, Math.floor(limit));
}

/**
 * Where a learned bucket stands after the provider said `remaining`: that, less what we sent after the
 * request that carried the figure (the provider had not counted it yet), never below 0 or above capacity.
 */
export function correctedLevel(remaining: number, sentSince: number, capacity: number): number {
  return Math.min(capacity, Math.max(0, Math.floor(remaining) - Math.max(0, Math.ceil(sentSince))));
}

/**
 * The most tokens the bucket holds; at least one, or no job could ever be charged a token. Whole tokens,
 * so that every level the bucket goes through stays whole (Redis's HINCRBY refuses fractions).
 */
export function tokenBucketCapacity(tpm: number): number {
  return Math.max(1, Math.floor((tpm * TOKEN_BURST_SECONDS) / 60));
}

/**
 * How to charge a request of `tokens` to a bucket of `capacity`: a weight the bucket can ever satisfy
 * (a heavier job would wait forever), and the rest as debt taken from the bucket once it runs, so the
 * average rate is still honoured.
 */
export function tokenCharge(tokens: number, capacity: number): { weight: number; debt: number } {
  const whole = Math.max(0, Math.ceil(tokens));
  const weight = Math.min(whole, Math.floor(capacity));
  return { weight, debt: whole - weight };
}
