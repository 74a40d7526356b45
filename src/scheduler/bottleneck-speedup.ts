import { Events, hasOverrideMark, LocalDatastore, markOverride, Sync } from './bottleneck-internals.js';

/**
 * Makes bottleneck 2.19.5's in-process limiter fast enough for SPEC §12's 3,000 items/s.
 *
 * Every datastore call (`__submit__`, `__register__`, `__free__`, …) first awaits `yieldLoop()`, which is
 * `setTimeout(0)`: at least 1 ms per call, and the calls are serialised by the submit/register locks, so a
 * limiter starts at most a few hundred jobs per second. `setImmediate` keeps what the method is there for
 * (a real turn of the event loop, like a round trip to Redis, so both datastores behave alike) without
 * the 1 ms clamp.
 *
 * Second, `Events.trigger` builds an async function, a `debug` event and several promises per call even
 * when nobody listens, several times per job. With no listener for the event and none for `debug` its
 * result is a promise of undefined, so one shared resolved promise is handed out instead.
 *
 * Third, the lock (`Sync._tryToRun`), which every job passes twice, is Babel's generator-based
 * transpilation of an async function; the same function as native async/await does the same steps in
 * the same order with far fewer promises (half the CPU per job in our measurements).
 *
 * All are prototype overrides, applied once, after checking the installed version's shape: if a future
 * bottleneck changes any of these methods nothing is overridden and the stock behaviour stays (slower,
 * still correct), and test/scheduler/bottleneck-speedup.test.ts fails to flag it.
 */

type YieldLoop = (this: { Promise: PromiseConstructor }, delayMs?: number) => Promise<void>;
type Trigger = (this: { _events: Record<string, unknown> }, name: string, ...args: unknown[]) => Promise<unknown>;

interface SyncTask {
  task: (...args: unknown[]) => unknown;
  args: unknown[];
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}
interface SyncLock {
  _running: number;
  _queue: { length: number; shift(): SyncTask | undefined };
  _tryToRun(): Promise<unknown>;
}
type TryToRun = (this: SyncLock) => Promise<unknown>;

const STOCK = Symbol.for('llm-batch.bottleneck.stock');
const FAST = Symbol.for('llm-batch.bottleneck.fast');

const datastoreProto = LocalDatastore.prototype as { yieldLoop: YieldLoop; [STOCK]?: YieldLoop };
const eventsProto = Events.prototype as { trigger: Trigger; [STOCK]?: Trigger };
const syncProto = Sync.prototype as { _tryToRun: TryToRun; [STOCK]?: TryToRun };
datastoreProto[STOCK] ??= datastoreProto.yieldLoop;
eventsProto[STOCK] ??= eventsProto.trigger;
syncProto[STOCK] ??= syncProto._tryToRun;
const stockYieldLoop = datastoreProto[STOCK];
const stockTrigger = eventsProto[STOCK];
const stockTryToRun = syncProto[STOCK];
const resolvedUndefined: Promise<unknown> = Promise.resolve(undefined);

const fastYieldLoop: YieldLoop = function (delayMs = 0) {
  // A delay is honoured as before; stock callers never pass one.
  if (delayMs > 0) return new this.Promise((resolve) => setTimeout(resolve, delayMs));
  return new this.Promise((resolve) => setImmediate(resolve));
};

const fastTrigger: Trigger = function (name, ...args) {
  if (this._events[name] === undefined && this._events.debug === undefined) return resolvedUndefined;
  return stockTrigger.call(this, name, ...args);
};
/** Sync.js's `_tryToRun`, line for line, as native async/await. */
const fastTryToRun: TryToRun = async function () {
  if (this._running >= 1 || this._queue.length === 0) return undefined;
  this._running += 1;
  const { task, args, resolve, reject } = this._queue.shift() as SyncTask;
  let settle: () => void;
  try {
    const returned = await task(...args);
    settle = () => resolve(returned);
  } catch (error) {
    settle = () => reject(error);
  }
  this._running -= 1;
  void this._tryToRun();
  return settle();
};

markOverride(fastYieldLoop, FAST);
markOverride(fastTrigger, FAST);
markOverride(fastTryToRun, FAST);

/** Overrides the slow methods. Idempotent; returns whether the speedup is in effect. */
export function applyBottleneckSpeedup(): boolean {
  if (isBottleneckSpeedupApplied()) return true;
  if (!hasExpectedShape()) return false;
  datastoreProto.yieldLoop = fastYieldLoop;
  eventsProto.trigger = fastTrigger;
  syncProto._tryToRun = fastTryToRun;
  return true;
}

/** Whether the overrides are installed (the test asserts this, so a changed bottleneck is noticed). */
export function isBottleneckSpeedupApplied(): boolean {
  return (
    hasOverrideMark(datastoreProto.yieldLoop, FAST) &&
    hasOverrideMark(eventsProto.trigger, FAST) &&
    hasOverrideMark(syncProto._tryToRun, FAST)
  );
}

/** Puts the stock methods back: only for benchmarks that compare before and after. */
export function restoreStockBottleneck(): void {
  datastoreProto.yieldLoop = stockYieldLoop;
  eventsProto.trigger = stockTrigger;
  syncProto._tryToRun = stockTryToRun;
}

function hasExpectedShape(): boolean {
  return (
    typeof stockYieldLoop === 'function' &&
    typeof stockTrigger === 'function' &&
    typeof stockTryToRun === 'function' &&
    // The stock yieldLoop is `setTimeout(resolve, t)`; anything else is a version we have not read.
    /setTimeout/.test(String(stockYieldLoop)) &&
    /_events/.test(String(stockTrigger)) &&
    /_running < 1 && _this\._queue\.length > 0/.test(String(stockTryToRun))
  );
}
