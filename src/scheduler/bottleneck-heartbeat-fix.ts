import { hasOverrideMark, LocalDatastore, markOverride } from './bottleneck-internals.js';

/**
 * Fixes bottleneck 2.19.5 issue #185 ("updateSettings clobbers reservoir increment logic", still open):
 * `updateSettings` calls `_startHeartbeat`, which clears the running refill timer instead of keeping it,
 * and never restarts it. Our token bucket changes its refill rate whenever limits are learned or a 429
 * lowers them, and would then stop refilling for good. The override keeps a running heartbeat, starts one
 * when a refill setting appears, and stops (and forgets) it when the settings no longer ask for one.
 */

interface HeartbeatStore {
  heartbeat?: NodeJS.Timeout | null;
  instance: { queued(): number };
  storeOptions: {
    reservoirRefreshInterval?: number | null;
    reservoirRefreshAmount?: number | null;
    reservoirIncreaseInterval?: number | null;
    reservoirIncreaseAmount?: number | null;
  };
}
type StartHeartbeat = (this: HeartbeatStore) => unknown;

const STOCK = Symbol.for('llm-batch.bottleneck.stock-heartbeat');
const FIXED = Symbol.for('llm-batch.bottleneck.fixed-heartbeat');

const proto = LocalDatastore.prototype as { _startHeartbeat: StartHeartbeat; [STOCK]?: StartHeartbeat };
proto[STOCK] ??= proto._startHeartbeat;
const stockStartHeartbeat = proto[STOCK];

const fixedStartHeartbeat: StartHeartbeat = function () {
  const options = this.storeOptions;
  const wanted =
    (options.reservoirRefreshInterval != null && options.reservoirRefreshAmount != null) ||
    (options.reservoirIncreaseInterval != null && options.reservoirIncreaseAmount != null);
  const running = this.heartbeat != null;
  // The heartbeat reads the current settings on every tick, so a running one already uses the new rates.
  if (wanted && running) return undefined;
  if (!wanted) {
    if (running) clearInterval(this.heartbeat ?? undefined);
    this.heartbeat = null;
    return undefined;
  }
  const started = stockStartHeartbeat.call(this);
  // Stock code starts it unref'd and refs it only when the queue next leaves zero; jobs already waiting
  // for a refill must keep the process alive.
  if (this.instance.queued() > 0) this.heartbeat?.ref();
  return started;
};
markOverride(fixedStartHeartbeat, FIXED);

/** Installs the fix once. Returns whether it is in effect (false if bottleneck's shape changed). */
export function applyBottleneckHeartbeatFix(): boolean {
  if (isBottleneckHeartbeatFixApplied()) return true;
  if (typeof stockStartHeartbeat !== 'function' || !/heartbeat/.test(String(stockStartHeartbeat))) return false;
  proto._startHeartbeat = fixedStartHeartbeat;
  return true;
}

/** Whether the fix is installed. */
export function isBottleneckHeartbeatFixApplied(): boolean {
  return hasOverrideMark(proto._startHeartbeat, FIXED);
}
