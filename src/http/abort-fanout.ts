/**
 * Aborts every request riding on a caller's signal with one listener on that signal. A run passes the same
 * run-long signal to every request; adding and removing a listener on it per request cost ~10 µs each
 * (issue 13, row b profile). Subscribers are dropped when their request ends, so a day of polling leaves
 * nothing behind.
 */
export class AbortFanout {
  private readonly subscribers = new WeakMap<AbortSignal, Set<() => void>>();

  /** Calls `onAbort` when `signal` aborts, until the returned function is called. */
  subscribe(signal: AbortSignal, onAbort: () => void): () => void {
    let riders = this.subscribers.get(signal);
    if (riders === undefined) {
      const created = new Set<() => void>();
      riders = created;
      this.subscribers.set(signal, created);
      signal.addEventListener(
        'abort',
        () => {
          const now = [...created];
          created.clear();
          for (const abort of now) abort();
        },
        { once: true },
      );
    }
    const own = riders;
    own.add(onAbort);
    return () => {
      own.delete(onAbort);
    };
  }
}
