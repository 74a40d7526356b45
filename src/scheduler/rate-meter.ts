/**
 * Counts dispatches over a sliding window, so that a 429 without any known limit can be answered with
 * "slower than what we just did" (the only reference there is).
 */

/** Window length: long enough to smooth bursts, short enough to reflect the current pace. */
const WINDOW_MS = 10_000;
const BUCKET_MS = 250;
const BUCKETS = WINDOW_MS / BUCKET_MS;
/** A rate over less than this would turn a start-up burst into an absurd per-minute figure. */
const MIN_SPAN_MS = 1000;

export class RateMeter {
  private readonly counts = new Array<number>(BUCKETS).fill(0);
  private readonly stamps = new Array<number>(BUCKETS).fill(-1);
  private firstAt: number | undefined;

  /** Records one dispatch at `now`. */
  record(now: number): void {
    this.firstAt ??= now;
    const slot = Math.floor(now / BUCKET_MS);
    const index = slot % BUCKETS;
    if (this.stamps[index] !== slot) {
      this.stamps[index] = slot;
      this.counts[index] = 0;
    }
    this.counts[index] += 1;
  }

  /** Dispatches per minute over the window ending at `now`; 0 before the first dispatch. */
  perMinute(now: number): number {
    if (this.firstAt === undefined) return 0;
    const currentSlot = Math.floor(now / BUCKET_MS);
    let total = 0;
    for (let i = 0; i < BUCKETS; i += 1) {
      if (this.stamps[i] > currentSlot - BUCKETS) total += this.counts[i];
    }
    // The oldest counted bucket began this long ago; the current one is only partly filled.
    const windowStart = Math.max(this.firstAt, (currentSlot - BUCKETS + 1) * BUCKET_MS);
    const span = Math.max(MIN_SPAN_MS, now - windowStart);
    return (total * 60_000) / span;
  }
}
