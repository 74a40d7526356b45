/**
 * Hands finished requests' outcomes to their callers in the event loop's check phase, after its I/O phase.
 *
 * At a fixed latency a round's answers arrive together, and the loop runs their socket callbacks one after
 * another. Resolved at once, each answer's bookkeeping (validation, journal write, events, reading the next
 * input) ran before the next socket's callback, so the last slots of a round were refilled tens of ms late
 * (issue 13, row b). Deferred here, every slot freed in that I/O phase sends its next request first.
 * Only answers: a failure must reach the retry layer before its slot sends again (a 429 pauses everyone).
 */
export class AnswerHandoff {
  private queue: (() => void)[] = [];
  private scheduled = false;

  /** Runs `deliver` once the current I/O phase is over (one `setImmediate` per batch, not per answer). */
  push(deliver: () => void): void {
    this.queue.push(deliver);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    const batch = this.queue;
    this.queue = [];
    this.scheduled = false;
    for (const deliver of batch) deliver();
  };
}
