import { createRequire } from 'node:module';
import Bottleneck from 'bottleneck';
import { afterAll, describe, expect, it } from 'vitest';
import { applyBottleneckHeartbeatFix, isBottleneckHeartbeatFixApplied } from '../../src/scheduler/bottleneck-heartbeat-fix.js';
import {
  applyBottleneckSpeedup,
  isBottleneckSpeedupApplied,
  restoreStockBottleneck,
} from '../../src/scheduler/bottleneck-speedup.js';
import { createScheduler } from '../../src/scheduler/scheduler.js';

const require = createRequire(import.meta.url);
const LocalDatastore = require('bottleneck/lib/LocalDatastore.js') as { prototype: Record<string, unknown> };
const Events = require('bottleneck/lib/Events.js') as { prototype: Record<string, unknown> };
const Sync = require('bottleneck/lib/Sync.js') as new (name: string, promise: PromiseConstructor) => {
  schedule<T>(task: (...args: unknown[]) => Promise<T>, ...args: unknown[]): Promise<T>;
  prototype: Record<string, unknown>;
};

afterAll(() => {
  applyBottleneckSpeedup();
});

describe('bottleneck speedup', () => {
  it('finds the methods it overrides in the installed bottleneck', () => {
    // If these fail, bottleneck changed shape: re-read LocalDatastore.js/Events.js before upgrading.
    expect(typeof LocalDatastore.prototype.yieldLoop).toBe('function');
    expect(typeof Events.prototype.trigger).toBe('function');
    expect(typeof (Sync.prototype as Record<string, unknown>)._tryToRun).toBe('function');
    expect(typeof LocalDatastore.prototype._startHeartbeat).toBe('function');
    expect((Bottleneck as unknown as { version: string }).version).toBe('2.19.5');
    const limiter = new Bottleneck();
    expect((limiter as unknown as { _store: unknown })._store).toBeInstanceOf(LocalDatastore as unknown as new () => object);
    void limiter.disconnect();
  });

  it('is in effect after a scheduler is built, on the prototype bottleneck itself uses', async () => {
    const scheduler = createScheduler({ concurrency: 1, provider: 'openai' });
    expect(isBottleneckSpeedupApplied()).toBe(true);
    expect(isBottleneckHeartbeatFixApplied()).toBe(true);
    const store = (new Bottleneck() as unknown as { _store: { yieldLoop: unknown } })._store;
    expect(store.yieldLoop).toBe(LocalDatastore.prototype.yieldLoop);
    expect(String(store.yieldLoop)).toMatch(/setImmediate/);
    await scheduler.close();
  });

  it('is idempotent and reversible', () => {
    expect(applyBottleneckSpeedup()).toBe(true);
    const installed = LocalDatastore.prototype.yieldLoop;
    expect(applyBottleneckSpeedup()).toBe(true);
    expect(LocalDatastore.prototype.yieldLoop).toBe(installed);
    restoreStockBottleneck();
    expect(isBottleneckSpeedupApplied()).toBe(false);
    expect(String(LocalDatastore.prototype.yieldLoop)).toMatch(/setTimeout/);
    expect(applyBottleneckSpeedup()).toBe(true);
  });

  it('keeps the lock one-at-a-time, in order, passing results and errors', async () => {
    applyBottleneckSpeedup();
    expect(String((Sync.prototype as Record<string, unknown>)._tryToRun)).not.toMatch(/_asyncToGenerator/);
    const lock = new Sync('test', Promise);
    const log: string[] = [];
    let running = 0;
    const step = (name: string, fail = false) => async (suffix: unknown) => {
      running += 1;
      expect(running).toBe(1);
      log.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push(`end ${name}`);
      running -= 1;
      if (fail) throw new Error(`${name} failed`);
      return `${name}${String(suffix)}`;
    };
    const results = await Promise.allSettled([
      lock.schedule(step('a'), '!'),
      lock.schedule(step('b', true), '?'),
      lock.schedule(step('c'), '.'),
    ]);
    expect(results.map((result) => (result.status === 'fulfilled' ? result.value : String(result.reason)))).toEqual([
      'a!',
      'Error: b failed',
      'c.',
    ]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('still delivers events that have listeners', async () => {
    applyBottleneckSpeedup();
    const limiter = new Bottleneck({ maxConcurrent: 2 });
    const seen: string[] = [];
    limiter.on('done', () => seen.push('done'));
    limiter.on('idle', () => seen.push('idle'));
    await limiter.schedule(() => Promise.resolve(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toContain('done');
    expect(seen).toContain('idle');
    await limiter.disconnect();
  });

  it('keeps a token bucket refilling after updateSettings (bottleneck issue #185)', async () => {
    applyBottleneckHeartbeatFix();
    const limiter = new Bottleneck({
      reservoir: 0,
      reservoirIncreaseInterval: 10,
      reservoirIncreaseAmount: 1,
      reservoirIncreaseMaximum: 1000,
      heartbeatInterval: 20,
    });
    await limiter.updateSettings({ reservoirIncreaseAmount: 2 });
    const before = (await limiter.currentReservoir()) ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = (await limiter.currentReservoir()) ?? 0;
    expect(after - before).toBeGreaterThanOrEqual(6);
    await limiter.updateSettings({ reservoirIncreaseAmount: null, reservoirIncreaseInterval: null });
    const stopped = (await limiter.currentReservoir()) ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await limiter.currentReservoir()).toBe(stopped);
    await limiter.disconnect();
  });
});
