import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  BudgetLedger,
  INPUT_ESTIMATE_MARGIN,
  INPUT_ESTIMATE_PADDING_TOKENS,
  worstCaseCost,
  type BudgetWarningFraction,
} from '../../src/cost/budget-ledger.js';
import type { ModelPrice } from '../../src/cost/prices.js';
import { UsageError } from '../../src/errors.js';

const price: ModelPrice = {
  inputPerMTok: 0.15,
  outputPerMTok: 0.6,
  cachedInputPerMTok: 0.075,
  cacheWritePerMTok: 0.15,
  batchDiscount: 0.5,
  source: 'builtin',
};

describe('worstCaseCost', () => {
  it.each([
    // ⌈1000 × 1.1⌉ + 16 = 1116 input tokens at 0.15, 500 output at 0.6
    [1000, 500, 'realtime', (1116 * 0.15 + 500 * 0.6) / 1e6],
    [1000, 500, 'batch', ((1116 * 0.15 + 500 * 0.6) / 1e6) * 0.5],
    [0, 0, 'realtime', (16 * 0.15) / 1e6],
  ] as const)('%i input, %i max output, %s', (input, output, mode, expected) => {
    expect(worstCaseCost(input, output, price, mode)).toBeCloseTo(expected, 15);
  });

  it('never discounts cached input: it bills the padded estimate at the full input price', () => {
    const padded = Math.ceil(2000 * INPUT_ESTIMATE_MARGIN) + INPUT_ESTIMATE_PADDING_TOKENS;
    expect(worstCaseCost(2000, 0, price, 'realtime')).toBeCloseTo((padded * price.inputPerMTok) / 1e6, 15);
  });
});

describe('BudgetLedger', () => {
  it('reserves while spent + reserved + new ≤ budget', () => {
    const ledger = new BudgetLedger({ budgetUsd: 1 });
    const a = ledger.tryReserve(0.6);
    expect(a).not.toBeNull();
    expect(ledger.tryReserve(0.5)).toBeNull();
    const b = ledger.tryReserve(0.4);
    expect(b).not.toBeNull();
    expect(ledger.reservedUsd).toBeCloseTo(1, 12);
    expect(ledger.remainingUsd).toBe(0);
    ledger.settle(a!, 0.2);
    expect(ledger.spentUsd).toBeCloseTo(0.2, 12);
    expect(ledger.reservedUsd).toBeCloseTo(0.4, 12);
    expect(ledger.remainingUsd).toBeCloseTo(0.4, 12);
    ledger.release(b!);
    expect(ledger.reservedUsd).toBe(0);
    expect(ledger.remainingUsd).toBeCloseTo(0.8, 12);
    expect(ledger.budgetUsd).toBe(1);
  });

  it('records an actual cost above its reservation as an overrun', () => {
    const ledger = new BudgetLedger({ budgetUsd: 1 });
    const reservation = ledger.tryReserve(0.1)!;
    ledger.settle(reservation, 0.25);
    expect(ledger.spentUsd).toBeCloseTo(0.25, 12);
    expect(ledger.overrunUsd).toBeCloseTo(0.15, 12);
  });

  it('refuses to settle or release a reservation twice', () => {
    const ledger = new BudgetLedger({ budgetUsd: 1 });
    const reservation = ledger.tryReserve(0.1)!;
    ledger.release(reservation);
    expect(() => ledger.settle(reservation, 0.1)).toThrow(/already settled or released/);
    expect(() => ledger.release(reservation)).toThrow(/already settled or released/);
  });

  it.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY]])('rejects a budget of %s', (budgetUsd) => {
    expect(() => new BudgetLedger({ budgetUsd })).toThrow(UsageError);
  });

  it('rejects negative amounts', () => {
    const ledger = new BudgetLedger({ budgetUsd: 1 });
    expect(() => ledger.tryReserve(-0.1)).toThrow(RangeError);
    const reservation = ledger.tryReserve(0.1)!;
    expect(() => ledger.settle(reservation, Number.NaN)).toThrow(RangeError);
  });

  it('a zero budget reserves nothing that costs anything', () => {
    const ledger = new BudgetLedger({ budgetUsd: 0 });
    expect(ledger.tryReserve(0.000001)).toBeNull();
  });

  it('fires each warning once, in order, even when one settle crosses several', () => {
    const warnings: Array<[BudgetWarningFraction, number]> = [];
    const ledger = new BudgetLedger({ budgetUsd: 10, onWarning: (fraction, spent) => warnings.push([fraction, spent]) });
    const settle = (usd: number) => ledger.settle(ledger.tryReserve(usd)!, usd);
    settle(4.9);
    expect(warnings).toEqual([]);
    settle(0.1);
    expect(warnings).toEqual([[0.5, 5]]);
    settle(0.5);
    expect(warnings).toHaveLength(1);
    settle(3.9);
    expect(warnings.map(([fraction]) => fraction)).toEqual([0.5, 0.75, 0.9]);
    settle(0.5);
    expect(warnings).toHaveLength(3);
  });

  it('64 concurrent requests never push spent past a small budget when actual ≤ reserved', async () => {
    const budgetUsd = 0.05;
    const ledger = new BudgetLedger({ budgetUsd });
    let maxCommitted = 0;
    let refused = 0;
    let completed = 0;
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

    async function worker(): Promise<void> {
      for (;;) {
        const inputTokens = 200 + Math.floor(random() * 3000);
        const reserveUsd = worstCaseCost(inputTokens, 500, price, 'realtime');
        const reservation = ledger.tryReserve(reserveUsd);
        if (!reservation) {
          refused += 1;
          return;
        }
        maxCommitted = Math.max(maxCommitted, ledger.spentUsd + ledger.reservedUsd);
        await sleep(Math.floor(random() * 5));
        if (random() < 0.1) ledger.release(reservation);
        else ledger.settle(reservation, reserveUsd * random());
        completed += 1;
        expect(ledger.spentUsd).toBeLessThanOrEqual(budgetUsd);
      }
    }

    await Promise.all(Array.from({ length: 64 }, worker));
    expect(completed).toBeGreaterThan(64);
    expect(refused).toBe(64);
    expect(maxCommitted).toBeLessThanOrEqual(budgetUsd);
    expect(ledger.spentUsd).toBeLessThanOrEqual(budgetUsd);
    expect(ledger.reservedUsd).toBe(0);
    expect(ledger.overrunUsd).toBe(0);
    // Dispatch stopped only because the next worst case no longer fit.
    expect(ledger.remainingUsd).toBeLessThan(worstCaseCost(3200, 500, price, 'realtime'));
  });
});
