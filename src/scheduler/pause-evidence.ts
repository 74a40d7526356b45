/**
 * Decides whether a 429/529 is the account's limit (pause everyone, cut the rate), a provider overload
 * (pause everyone briefly, no cut) or an isolated refusal (only that item waits, through the retry layer's
 * Retry-After or backoff). Pure: the caller passes the time and applies the verdict (SPEC §8, issue 13).
 *
 * Evidence that the account's limit is reached: the 429's own headers show a window at 0, or several
 * different requests got a 429 within a short window and they are a large share of the answers in it.
 * The share matters: at 2,000 answers/s, a server that refuses 5% at random produces "several 429s a
 * second" without any limit in sight, while a drained bucket refuses nearly every request.
 */

/** Options for {@link PauseEvidence}. */
export interface PauseEvidenceOptions {
  /**
   * How far back 429s and answers are counted.
   * @default 2000
   */
  windowMs?: number;
  /**
   * Distinct requests with a 429 in the window before their number is evidence.
   * @default 3
   */
  minRequests?: number;
  /**
   * Share of the window's answers that must be 429s for their number to be evidence.
   * @default 0.25
   */
  minShare?: number;
  /**
   * Longest pause a 529 (overloaded) causes, whatever its Retry-After: the overload is the provider's,
   * and the retry layer still spaces that item's own retries.
   * @default 2000
   */
  maxOverloadPauseMs?: number;
  /**
   * Pause for a 529 that gives no Retry-After.
   * @default 1000
   */
  overloadPauseMs?: number;
}

/** What one 429/529 told us. */
export interface RefusalReport {
  status: number;
  /** Identifies the request (one item's retries count once). */
  requestId?: string;
  /** The response's rate-limit headers show a window used up (remaining 0). */
  exhausted: boolean;
  retryAfterMs?: number;
}

/** The verdict on one refusal. */
export type RefusalVerdict =
  | { action: 'item-only'; reason: string }
  | { action: 'pause'; cut: boolean; pauseMs?: number; reason: string };

export const OVERLOADED_STATUS = 529;
/** Sub-windows of the answer counter: the window slides in steps of windowMs / SLOTS. */
const SLOTS = 10;

export class PauseEvidence {
  private readonly options: Required<PauseEvidenceOptions>;
  private readonly refusals: { at: number; requestId: string | undefined }[] = [];
  private readonly answerCounts = new Array<number>(SLOTS).fill(0);
  private readonly answerSlots = new Array<number>(SLOTS).fill(-1);

  constructor(options: PauseEvidenceOptions = {}) {
    this.options = {
      windowMs: options.windowMs ?? 2000,
      minRequests: options.minRequests ?? 3,
      minShare: options.minShare ?? 0.25,
      maxOverloadPauseMs: options.maxOverloadPauseMs ?? 2000,
      overloadPauseMs: options.overloadPauseMs ?? 1000,
    };
  }

  /** Any answer that was not a 429 (success or other failure): the denominator of the share. */
  onAnswer(now: number): void {
    const slot = Math.floor(now / this.slotMs());
    const index = slot % SLOTS;
    if (this.answerSlots[index] !== slot) {
      this.answerSlots[index] = slot;
      this.answerCounts[index] = 0;
    }
    this.answerCounts[index] += 1;
  }

  /** A 429 or 529 arrived: pause everyone, or let the retry layer delay only this item. */
  onRefusal(now: number, report: RefusalReport): RefusalVerdict {
    if (report.status === OVERLOADED_STATUS) {
      const advised = report.retryAfterMs ?? this.options.overloadPauseMs;
      const pauseMs = Math.min(Math.max(0, advised), this.options.maxOverloadPauseMs);
      return { action: 'pause', cut: false, pauseMs, reason: 'the provider is overloaded (529)' };
    }
    this.prune(now);
    this.refusals.push({ at: now, requestId: report.requestId });
    if (report.exhausted) return { action: 'pause', cut: true, reason: 'the headers show the limit used up' };
    const requests = this.distinctRequests();
    const answers = this.answersInWindow(now);
    const share = this.refusals.length / (this.refusals.length + answers);
    if (requests >= this.options.minRequests && share >= this.options.minShare) {
      return { action: 'pause', cut: true, reason: `${requests} requests refused within ${this.options.windowMs / 1000} s` };
    }
    return { action: 'item-only', reason: 'an isolated 429' };
  }

  private slotMs(): number {
    return this.options.windowMs / SLOTS;
  }

  private prune(now: number): void {
    const from = now - this.options.windowMs;
    let drop = 0;
    while (drop < this.refusals.length && this.refusals[drop].at <= from) drop += 1;
    if (drop > 0) this.refusals.splice(0, drop);
  }

  private distinctRequests(): number {
    const ids = new Set<string>();
    let anonymous = 0;
    for (const refusal of this.refusals) {
      if (refusal.requestId === undefined) anonymous += 1;
      else ids.add(refusal.requestId);
    }
    return ids.size + anonymous;
  }

  private answersInWindow(now: number): number {
    const current = Math.floor(now / this.slotMs());
    let total = 0;
    for (let i = 0; i < SLOTS; i += 1) if (this.answerSlots[i] > current - SLOTS) total += this.answerCounts[i];
    return total;
  }
}
