import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { UsageError } from '../errors.js';
import { warningsReached, type BudgetLedgerOptions, type Reservation } from './budget-ledger.js';
import type { BudgetPort } from './budget-port.js';
import { bindSharedBudgetScripts, sharedBudgetKeys, type SharedBudgetScripts } from './shared-budget-scripts.js';

/**
 * A member silent this long is presumed dead and its reservations are dropped. Members touch every
 * `TOUCH_INTERVAL_MS`, so only a process frozen for half a minute could lose live reservations.
 */
export const SHARED_BUDGET_STALE_MS = 30_000;
const TOUCH_INTERVAL_MS = 2_000;
/** The reserve script's answer when the budget's totals are gone from Redis. */
const LOST = -1;

/** Options for {@link openSharedBudget}. */
export interface SharedBudgetOptions extends BudgetLedgerOptions {
  client: Redis;
  /** The limiters' account id (provider, base URL, key hash): budgets are per account and name. */
  accountId: string;
  /** `--budget-key`: every process giving the same name (and account) shares one budget. */
  name: string;
  /** Redis errors after start-up (reported as warnings; a failed settle keeps its reservation held). */
  onError: (error: unknown) => void;
}

/**
 * Joins the budget named `name` — creating it, or setting its cap to this run's `--budget` (the latest
 * process's cap applies to all) — and returns a ledger whose reservations are atomic across processes.
 * The spend under a name accumulates across runs until the keys are deleted: a name is one pot of money.
 */
export async function openSharedBudget(options: SharedBudgetOptions): Promise<SharedBudgetLedger> {
  if (!Number.isFinite(options.budgetUsd) || options.budgetUsd < 0) {
    throw new UsageError(`Expected the budget to be an amount of USD ≥ 0, got \`${options.budgetUsd}\``);
  }
  const scripts = bindSharedBudgetScripts(options.client, sharedBudgetKeys(options.accountId, options.name));
  const ledger = new SharedBudgetLedger(scripts, options);
  await ledger.join();
  return ledger;
}

/** The `BudgetPort` over Redis. Reserving is a round trip; settling and releasing are sent in the background. */
export class SharedBudgetLedger implements BudgetPort {
  private readonly member = randomUUID();
  private readonly active = new Map<number, number>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly timer: NodeJS.Timeout;
  private nextId = 1;
  private budget: number;
  private spent = 0;
  private reserved = 0;
  private warningsFired = 0;
  private closed = false;

  constructor(
    private readonly scripts: SharedBudgetScripts,
    private readonly options: SharedBudgetOptions,
  ) {
    this.budget = options.budgetUsd;
    this.timer = setInterval(() => this.track(this.scripts.touch(this.member)), TOUCH_INTERVAL_MS);
    this.timer.unref();
  }

  get budgetUsd(): number {
    return this.budget;
  }

  get spentUsd(): number {
    return this.spent;
  }

  get reservedUsd(): number {
    return this.reserved;
  }

  /** Registers this process and publishes its cap. */
  async join(): Promise<void> {
    const [spent, reserved] = await this.scripts.join(this.member, this.options.budgetUsd);
    this.observe(spent, reserved);
    this.fireWarnings();
  }

  async tryReserve(usd: number): Promise<Reservation | null> {
    assertAmount(usd, 'reservation');
    if (this.closed) return null;
    let answer: Awaited<ReturnType<SharedBudgetScripts['reserve']>>;
    try {
      answer = await this.scripts.reserve(this.member, usd, SHARED_BUDGET_STALE_MS);
    } catch (error) {
      // Redis is gone (the run is stopping, see redis-outage.ts): no reservation, so nothing is sent.
      this.options.onError(error);
      return null;
    }
    const [ok, spent, reserved, budget] = answer;
    if (Number(ok) === LOST) {
      this.options.onError(new Error(`the record of shared budget "${this.options.name}" is gone from Redis (restarted without persistence, or deleted): stopping rather than risk spending past it`));
      return null;
    }
    this.observe(spent, reserved);
    this.budget = Number(budget);
    if (Number(ok) !== 1) return null;
    const reservation: Reservation = { id: this.nextId++, usd };
    this.active.set(reservation.id, usd);
    return reservation;
  }

  settle(reservation: Reservation, actualUsd: number): void {
    assertAmount(actualUsd, 'actual cost');
    this.drop(reservation);
    this.send(reservation.usd, actualUsd);
  }

  release(reservation: Reservation): void {
    this.drop(reservation);
    this.send(reservation.usd, 0);
  }

  /** Waits for settles still on their way, then leaves (this process holds nothing any more). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await Promise.allSettled([...this.inFlight]);
    await this.scripts.leave(this.member).catch(this.options.onError);
  }

  private send(reservedUsd: number, actualUsd: number): void {
    this.track(
      this.scripts.settle(this.member, reservedUsd, actualUsd).then(([spent, reserved]) => {
        this.observe(spent, reserved);
        this.fireWarnings();
      }),
    );
  }

  private track(operation: Promise<unknown>): void {
    const tracked = operation.catch(this.options.onError).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private observe(spent: string | undefined, reserved: string | undefined): void {
    this.spent = Number(spent ?? 0);
    this.reserved = Number(reserved ?? 0);
  }

  private drop(reservation: Reservation): void {
    if (!this.active.delete(reservation.id)) {
      throw new Error(`Budget reservation ${reservation.id} was already settled or released`);
    }
  }

  private fireWarnings(): void {
    for (const fraction of warningsReached(this.spent, this.budget, this.warningsFired)) {
      this.warningsFired += 1;
      this.options.onWarning?.(fraction, this.spent);
    }
  }
}

function assertAmount(usd: number, what: string): void {
  if (!Number.isFinite(usd) || usd < 0) throw new RangeError(`Expected the ${what} to be USD ≥ 0, got ${usd}`);
}
