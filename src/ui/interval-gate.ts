/**
 * Lets a call through at most once per interval of the injected clock. Plain and JSON progress are driven by
 * the engine's ~4/s `progress` events rather than a timer of our own, so a stalled engine prints nothing new
 * and tests need no fake timers.
 */
export interface IntervalGate {
  /** True (and the interval restarts) when at least `intervalMs` passed since the last pass or reset. */
  tryPass(): boolean;
  /** Restarts the interval now, e.g. at run start so the first progress line comes one interval later. */
  reset(): void;
}

/** A gate over `now`; a non-positive interval lets everything through. */
export function createIntervalGate(intervalMs: number, now: () => number): IntervalGate {
  let last = now();
  return {
    tryPass() {
      const current = now();
      if (current - last < intervalMs) return false;
      last = current;
      return true;
    },
    reset() {
      last = now();
    },
  };
}
