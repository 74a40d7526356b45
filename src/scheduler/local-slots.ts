/** Served waiters kept before the queue is compacted. */
const COMPACT_AFTER = 1024;

/**
 * The in-process concurrency bound: a counting semaphore that runs callbacks in arrival order.
 *
 * Why not only bottleneck's `maxConcurrent`: a bottleneck job costs ~0.1 ms of CPU (locks, events,
 * datastore turns of the event loop), a third of the per-item budget at SPEC §12's 3,000 items/s.
 * When no rate applies, a slot is all a request needs, so the scheduler skips the limiter; holding
 * this slot across both paths keeps the bound exact when a rate is learned mid-run.
 */
export class LocalSlots {
  private free: number;
  private waiting: (() => void)[] = [];
  /** Index of the next waiter: `shift()` on a long queue is O(n) per call. */
  private head = 0;

  constructor(size: number) {
    this.free = size;
  }

  /** Runs `start` now if a slot is free, else when one is released. Every `start` must end in `release()`. */
  acquire(start: () => void): void {
    if (this.free > 0) {
      this.free -= 1;
      start();
      return;
    }
    this.waiting.push(start);
  }

  /** Frees a slot, handing it straight to the oldest waiter if there is one. */
  release(): void {
    if (this.head === this.waiting.length) {
      this.free += 1;
      return;
    }
    const next = this.waiting[this.head] as () => void;
    this.head += 1;
    if (this.head === this.waiting.length) {
      this.waiting.length = 0;
      this.head = 0;
    } else if (this.head >= COMPACT_AFTER) {
      // Drop served waiters in bulk: a queue that never empties (a long rate-limited run) must not grow.
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    next();
  }
}
