import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Reservation } from '../../src/cost/budget-ledger.js';
import { openSharedBudget, SHARED_BUDGET_STALE_MS, type SharedBudgetLedger } from '../../src/cost/shared-budget-ledger.js';
import { sharedBudgetKeys } from '../../src/cost/shared-budget-scripts.js';
import { needsRedis, redisServer, startRedis, type TestRedis } from '../helpers/redis-server.js';

let redis: TestRedis;
const clients: Redis[] = [];
const ledgers: SharedBudgetLedger[] = [];
let budgets = 0;

beforeAll(async () => {
  if (redisServer.skip) return;
  redis = await startRedis();
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await redis?.stop();
});
afterEach(async () => {
  await Promise.all(ledgers.splice(0).map((ledger) => ledger.close()));
});

/** `count` processes (one connection each) sharing a fresh budget of `budgetUsd`. */
async function processes(count: number, budgetUsd: number, warnings: number[] = [], errors: unknown[] = []) {
  budgets += 1;
  const name = `budget-${budgets}`;
  const opened: SharedBudgetLedger[] = [];
  for (let i = 0; i < count; i += 1) {
    const client = new Redis(redis.url);
    clients.push(client);
    const ledger = await openSharedBudget({
      client,
      accountId: 'llm-batch:openai:https://api.test/v1:abc',
      name,
      budgetUsd,
      onWarning: (fraction) => warnings.push(fraction),
      onError: (error) => errors.push(error),
    });
    ledgers.push(ledger);
    opened.push(ledger);
  }
  return { ledgers: opened, keys: sharedBudgetKeys('llm-batch:openai:https://api.test/v1:abc', name) };
}

describe.skipIf(redisServer.skip)(needsRedis('SharedBudgetLedger'), () => {
  it('never lets concurrent reservations from several processes pass the budget together', async () => {
    const { ledgers: shared } = await processes(4, 1);
    // 4 × 50 concurrent claims of $0.03 against $1: exactly 33 fit.
    const claims = await Promise.all(shared.flatMap((ledger) => Array.from({ length: 50 }, () => ledger.tryReserve(0.03))));
    const granted = claims.filter((claim): claim is Reservation => claim !== null);
    expect(granted).toHaveLength(33);
    expect(shared[0].reservedUsd).toBeLessThanOrEqual(1);
  });

  it('settles to the actual cost, so finished requests make room, and counts spend for everyone', async () => {
    const { ledgers: [a, b] } = await processes(2, 0.1);
    const first = await a.tryReserve(0.06);
    expect(first).not.toBeNull();
    expect(await b.tryReserve(0.06)).toBeNull();
    a.settle(first as Reservation, 0.01);
    await a.close();
    const second = await b.tryReserve(0.06);
    expect(second).not.toBeNull();
    expect(b.spentUsd).toBeCloseTo(0.01, 10);
    b.release(second as Reservation);
    await b.close();
    expect(b.reservedUsd).toBeCloseTo(0, 10);
  });

  it('warns at 50%, 75% and 90% of the shared spend', async () => {
    const warnings: number[] = [];
    const { ledgers: [a, b] } = await processes(2, 1, warnings);
    for (const [ledger, usd] of [[a, 0.5], [b, 0.3], [a, 0.15]] as const) {
      const reservation = await ledger.tryReserve(usd);
      ledger.settle(reservation as Reservation, usd);
      await sleep(20);
    }
    await Promise.all([a.close(), b.close()]);
    // Each process warns once per threshold it sees crossed.
    expect([...new Set(warnings)].sort()).toEqual([0.5, 0.75, 0.9]);
  });

  it('applies the latest process’s --budget to all of them', async () => {
    const { ledgers: [a], keys } = await processes(1, 0.1);
    const client = new Redis(redis.url);
    clients.push(client);
    await client.hset(keys[0], 'budget', '0.05');
    expect(await a.tryReserve(0.08)).toBeNull();
    expect(a.budgetUsd).toBe(0.05);
  });

  it('refuses to reserve once the record of the spend is gone (a Redis restarted without persistence)', async () => {
    const errors: unknown[] = [];
    const { ledgers: [a], keys } = await processes(1, 1, [], errors);
    const client = new Redis(redis.url);
    clients.push(client);
    await client.del(...keys);
    expect(await a.tryReserve(0.01)).toBeNull();
    expect(String(errors[0])).toMatch(/gone from Redis/);
  });

  it('drops the reservations of a process silent for too long', async () => {
    const { ledgers: [dead, alive], keys } = await processes(2, 0.1);
    expect(await dead.tryReserve(0.09)).not.toBeNull();
    expect(await alive.tryReserve(0.05)).toBeNull();
    // Make the first member look silent (no process can be frozen for 30 s in a unit test).
    const client = new Redis(redis.url);
    clients.push(client);
    const held = await client.hgetall(keys[1]);
    const member = Object.keys(held).find((key) => Number(held[key]) > 0.08) as string;
    const [seconds] = await client.time();
    await client.zadd(keys[2], Number(seconds) * 1000 - SHARED_BUDGET_STALE_MS - 5000, member);
    expect(await alive.tryReserve(0.05)).not.toBeNull();
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
