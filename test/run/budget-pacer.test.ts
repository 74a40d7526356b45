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
