import { hasOverrideMark, markOverride, RedisDatastore } from './bottleneck-internals.js';

/**
 * Repairs bottleneck 2.19.5's recovery of a lost Redis state (upstream #205, #212, #219, unfixed).
 *
 * Its Lua scripts answer `SETTINGS_KEY_NOT_FOUND` when the limiter's settings hash is gone (expired,
 * evicted, deleted) and `UNKNOWN_CLIENT` when this process was dropped as unresponsive; `runScript` then
 * re-creates the settings (`init`) or re-registers, and retries. But it compares `error.message` with the
 * bare code, and Redis 7 prefixes script errors with `ERR `: the recovery never runs and every call fails
 * forever (measured here: `ERR SETTINGS_KEY_NOT_FOUND`, every job dropped). The stock heartbeat also
 * ignores a lost settings key, so jobs that only wait for a refill would never run again.
 *
 * The override calls the stock method and, on either code with or without the prefix, does the same
 * repair and retries, a bounded number of times (a key deleted in a loop must not become a loop here).
 * Re-created settings come from this limiter's own current settings (`storeOptions`), which every
 * `updateSettings` keeps up to date.
 */

interface RedisStore {
  runScript: RunScript;
  prepareInitSettings(clear: boolean): unknown[];
  instance: { queued(): number };
}
type RunScript = (this: RedisStore, name: string, args: unknown[]) => Promise<unknown>;

type LostState = 'SETTINGS_KEY_NOT_FOUND' | 'UNKNOWN_CLIENT';

/** Repairs per call before the error is passed on (to the limiter's `error` listeners). */
const MAX_REPAIRS = 3;

const STOCK = Symbol.for('llm-batch.bottleneck.stock-run-script');
const FIXED = Symbol.for('llm-batch.bottleneck.fixed-run-script');

const proto = RedisDatastore.prototype as { runScript: RunScript; [STOCK]?: RunScript };
proto[STOCK] ??= proto.runScript;
const stockRunScript = proto[STOCK];

const fixedRunScript: RunScript = async function (name, args) {
  for (let repairs = 0; ; repairs += 1) {
    try {
      return await stockRunScript.call(this, name, args);
    } catch (error) {
      const lost = lostState(error);
      if (lost === undefined || repairs >= MAX_REPAIRS) throw error;
      if (lost === 'SETTINGS_KEY_NOT_FOUND') await stockRunScript.call(this, 'init', this.prepareInitSettings(false));
      else await stockRunScript.call(this, 'register_client', [this.instance.queued()]);
    }
  }
};
markOverride(fixedRunScript, FIXED);

/** Installs the fix once. Returns whether it is in effect (false if bottleneck's shape changed). */
export function applyBottleneckRedisFix(): boolean {
  if (isBottleneckRedisFixApplied()) return true;
  const source = String(stockRunScript);
  const expected =
    typeof stockRunScript === 'function' &&
    source.includes('SETTINGS_KEY_NOT_FOUND') &&
    source.includes('UNKNOWN_CLIENT') &&
    source.includes('prepareInitSettings');
  if (!expected) return false;
  proto.runScript = fixedRunScript;
  return true;
}

/** Whether the fix is installed. */
export function isBottleneckRedisFixApplied(): boolean {
  return hasOverrideMark(proto.runScript, FIXED);
}

/** Which lost state an error reports, with or without Redis 7's `ERR ` prefix. */
export function lostState(error: unknown): LostState | undefined {
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof message !== 'string') return undefined;
  const match = /^(?:ERR )?(SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT)$/.exec(message.trim());
  return match === null ? undefined : (match[1] as LostState);
}
