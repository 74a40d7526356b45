import { createRequire } from 'node:module';
import { UsageError } from '../errors.js';
import { applyBottleneckHeartbeatFix } from './bottleneck-heartbeat-fix.js';
import { applyBottleneckRedisFix } from './bottleneck-redis-fix.js';
import { applyBottleneckSpeedup } from './bottleneck-speedup.js';

/**
 * The bottleneck release our overrides were written against, and package.json pins exactly. Each
 * override checks the shape of what it replaces; this names the version when one does not fit.
 */
export const BOTTLENECK_VERSION = '2.19.5';

const OVERRIDES: readonly [string, () => boolean][] = [
  ['the speed-up (setImmediate turns, quiet events, native lock)', applyBottleneckSpeedup],
  ['the refill heartbeat fix (upstream #185)', applyBottleneckHeartbeatFix],
  ['the Redis state recovery fix (upstream #205)', applyBottleneckRedisFix],
];

/**
 * Installs every override once, or refuses to start: without the heartbeat fix a token-limited run waits
 * forever, without the Redis fix a lost key drops every job, so a silent fallback is never an option.
 */
export function applyBottleneckOverrides(): void {
  const failed = OVERRIDES.filter(([, apply]) => !apply()).map(([name]) => name);
  if (failed.length === 0) return;
  throw new UsageError(
    `llm-batch cannot pace requests with the installed bottleneck ${installedBottleneckVersion()}: ${failed.join(', ')} did not apply. ` +
      `It needs bottleneck ${BOTTLENECK_VERSION} exactly; reinstall llm-batch (npm ci) so its pinned version is used.`,
  );
}

/** The version of the bottleneck that is actually loaded. */
export function installedBottleneckVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    return (require('bottleneck/package.json') as { version: string }).version;
  } catch {
    return '(version unknown)';
  }
}
