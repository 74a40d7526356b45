/**
 * Bounds how many items are between "read from input" and "record written", so memory stays flat
 * however long the input is. `enter()` waits for a free place; `leave()` frees one.
 */
export class AdmissionGate {
  #active = 0;
  readonly #waiters: Array<() => void> = [];
  readonly #idleWaiters: Array<() => void> = [];

  constructor(private readonly capacity: number) {}

  get active(): number {
    return this.#active;
  }

  async enter(): Promise<void> {
    while (this.#active >= this.capacity) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    this.#active += 1;
  }

  leave(): void {
    this.#active -= 1;
    this.#waiters.shift()?.();
    if (this.#active === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  /** Resolves when every admitted item has left. */
  async idle(): Promise<void> {
    if (this.#active === 0) return;
    await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }
}
