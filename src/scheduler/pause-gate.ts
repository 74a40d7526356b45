/**
 * The last gate before a request leaves: closed during a rate-limit pause. The limiter's queue is frozen
 * separately (reservoir 0); this gate holds the few jobs that had already passed the limiter when the
 * pause began, and lets them out one `spacingMs` apart when it ends, so a pause is not followed by a burst.
 */
export class PauseGate {
  private until = 0;
  private readonly held: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private releasing = false;

  /**
   * @param now clock, in ms since epoch
   * @param spacingMs gap between released jobs (the current request spacing)
   * @param onOpen called once the pause is over and every held job is out
   */
  constructor(
    private readonly now: () => number,
    private readonly spacingMs: () => number,
    private readonly onOpen: () => void,
  ) {}

  /** True while jobs must wait (paused, or still letting held jobs out). */
  get closed(): boolean {
    return this.timer !== undefined || this.releasing || this.now() < this.until;
  }

  /** Closes the gate until `until` (extends, never shortens, a pause). */
  pauseUntil(until: number): void {
    if (until <= this.until && this.timer !== undefined) return;
    this.until = Math.max(this.until, until);
    this.releasing = false;
    this.arm(this.until - this.now());
  }

  /** Resolves when this job may go. */
  pass(): Promise<void> {
    if (!this.closed) return Promise.resolve();
    return new Promise((resolve) => this.held.push(resolve));
  }

  /** Opens at once and lets everything out (stop: held jobs then see they were cancelled). */
  open(): void {
    this.clearTimer();
    this.until = 0;
    this.releasing = false;
    for (const release of this.held.splice(0)) release();
  }

  private arm(delayMs: number): void {
    this.clearTimer();
    // Ref'd on purpose: jobs waiting out a pause must keep the process alive.
    this.timer = setTimeout(() => this.tick(), Math.max(0, delayMs));
  }

  private tick(): void {
    this.timer = undefined;
    const left = this.until - this.now();
    if (left > 0) return this.arm(left);
    const next = this.held.shift();
    if (next === undefined) {
      this.releasing = false;
      this.onOpen();
      return;
    }
    this.releasing = true;
    next();
    const spacing = this.spacingMs();
    if (spacing <= 0) {
      for (const release of this.held.splice(0)) release();
      this.releasing = false;
      this.onOpen();
      return;
    }
    this.arm(spacing);
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
