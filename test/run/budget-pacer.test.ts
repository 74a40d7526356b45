import { describe, expect, it } from 'vitest';
import { BudgetLedger } from '../../src/cost/budget-ledger.js';
import { BudgetPacer } from '../../src/run/budget-pacer.js';

/** $1 per output token plus $1 per request, to keep the arithmetic readable. */
const worstCaseAt = (m: number) => 1 + m;
const never = () => false;

describe('BudgetPacer', () => {
  it('waits for an in-flight reservation to settle instead of declaring the budget reached', async () => {
    const pacer = new BudgetPacer(new BudgetLedger({ budgetUsd: 150 }), async () => undefined);
    const first = await pacer.reserve(worstCaseAt, 100, never);
    if (typeof first === 'string') throw new Error('expected a reservation');
    let second: unknown;
    const pending = pacer.reserve(worstCaseAt, 100, never).then((outcome) => (second = outcome));
    await Promise.resolve();
    expect(second).toBeUndefined(); // 101 + 101 > 150: it waits
    pacer.settle(first.reservation, 5, 4);
    await pending;
    expect(second).toMatchObject({ maxOutputTokens: 100 });
  });

  it('sends the last requests with a smaller cap that fits the remainder, never below twice the longest answer', async () => {
    const ledger = new BudgetLedger({ budgetUsd: 150 });
    const pacer = new BudgetPacer(ledger, async () => undefined);
    const first = await pacer.reserve(worstCaseAt, 100, never);
    if (typeof first === 'string') throw new Error('expected a reservation');
    pacer.settle(first.reservation, 100, 10); // spent 100, longest answer 10 tokens
    const last = await pacer.reserve(worstCaseAt, 100, never);
    expect(last).toMatchObject({ maxOutputTokens: 48 }); // 50 left: 1 + 49 fits; one token less for float margin
    if (typeof last === 'string') throw new Error('expected a reservation');
    pacer.settle(last.reservation, 30, 10); // spent 130: 20 left, under twice the longest answer + 1
    expect(await pacer.reserve(worstCaseAt, 100, never)).toBe('reached');
    expect(ledger.spentUsd).toBe(130);
  });

  it('advises a --max-tokens once, when the worst case dwarfs what answers cost', async () => {
    const pacer = new BudgetPacer(new BudgetLedger({ budgetUsd: 1e9 }), async () => undefined);
    for (let i = 0; i < 20; i += 1) {
      const outcome = await pacer.reserve(worstCaseAt, 4096, never);
      if (typeof outcome === 'string') throw new Error('expected a reservation');
      pacer.settle(outcome.reservation, 30, 25);
    }
    expect(pacer.advice(4097, 4096)).toEqual({ averageUsd: 30, suggestedMaxTokens: 64 });
    expect(pacer.advice(4097, 4096)).toBeUndefined();
  });

  it('stops waiting when the run stops', async () => {
    let stopping = false;
    const pacer = new BudgetPacer(new BudgetLedger({ budgetUsd: 150 }), async () => undefined);
    const first = await pacer.reserve(worstCaseAt, 100, () => stopping);
    if (typeof first === 'string') throw new Error('expected a reservation');
    const waiting = pacer.reserve(worstCaseAt, 100, () => stopping);
    stopping = true;
    pacer.release(first.reservation);
    expect(await waiting).toBe('stopped');
  });
});

describe('BudgetPacer in batch mode (reservations freed only when the caller collects batches)', () => {
  it('when an item does not fit, has the caller submit and collect, settles at the real cost, then fits more', async () => {
    const ledger = new BudgetLedger({ budgetUsd: 250 });
    const held: Array<{ reservation: import('../../src/cost/budget-ledger.js').Reservation }> = [];
    let rounds = 0;
    // "Collecting a batch": every held reservation is billed 5 for 4 output tokens.
    const pacer: BudgetPacer = new BudgetPacer(ledger, async () => undefined, async () => {
      rounds += 1;
      for (const { reservation } of held.splice(0)) pacer.settle(reservation, 5, 4);
    });
    const take = async () => {
      const outcome = await pacer.reserve(worstCaseAt, 100, never);
      if (typeof outcome === 'string') return outcome;
      held.push(outcome);
      return outcome;
    };
    await take();
    await take(); // 202 of 250 held
    expect(rounds).toBe(0);
    expect(await take()).toMatchObject({ maxOutputTokens: 100 }); // did not fit: one round settled both at 5
    expect(rounds).toBe(1);
    expect(ledger.spentUsd).toBe(10);
    // Items keep coming until not even a smaller cap fits what is left with nothing held.
    let last: unknown;
    for (let i = 0; i < 100 && last !== 'reached'; i += 1) last = await take();
    expect(last).toBe('reached');
    expect(held).toHaveLength(0);
    expect(ledger.spentUsd).toBeLessThanOrEqual(250);
    // Never more than the budget; short of it by less than the smallest last request (a 16-token cap) and one answer.
    expect(ledger.spentUsd).toBeGreaterThanOrEqual(250 - worstCaseAt(16) - 5);
  });

  it('reports the budget reached, not a wait, when collecting frees nothing', async () => {
    const ledger = new BudgetLedger({ budgetUsd: 150 });
    let rounds = 0;
    const pacer = new BudgetPacer(ledger, async () => undefined, async () => void (rounds += 1));
    expect(await pacer.reserve(worstCaseAt, 100, never)).toMatchObject({ maxOutputTokens: 100 });
    expect(await pacer.reserve(worstCaseAt, 100, never)).toBe('reached');
    expect(rounds).toBe(1);
  });

  it('holds a reservation for an item of a batch an earlier run submitted, or says it does not fit', async () => {
    const pacer = new BudgetPacer(new BudgetLedger({ budgetUsd: 10 }), async () => undefined, async () => undefined);
    expect(await pacer.hold(8)).toBeDefined();
    expect(await pacer.hold(8)).toBeUndefined();
  });
});
