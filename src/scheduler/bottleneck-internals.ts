import { createRequire } from 'node:module';

/**
 * Bottleneck's internal classes, loaded from the same files its own `Bottleneck.js` requires, so that
 * prototype overrides reach every limiter. Bottleneck is CommonJS and a singleton per process even when
 * ES modules are loaded afresh (test runners), so marks and saved stock methods are kept on its side
 * under global symbols.
 */

const require = createRequire(import.meta.url);

/** `bottleneck/lib/LocalDatastore.js`: the in-process datastore (Redis uses RedisDatastore instead). */
export const LocalDatastore = require('bottleneck/lib/LocalDatastore.js') as { prototype: object };

/** `bottleneck/lib/RedisDatastore.js`: the clustered datastore (`datastore: 'ioredis'`). */
export const RedisDatastore = require('bottleneck/lib/RedisDatastore.js') as { prototype: object };

/** `bottleneck/lib/Events.js`: the event emitter every limiter owns. */
export const Events = require('bottleneck/lib/Events.js') as { prototype: object };

/** `bottleneck/lib/Sync.js`: the one-at-a-time lock around submissions and registrations. */
export const Sync = require('bottleneck/lib/Sync.js') as { prototype: object };

/** Marks a replacement method, so that "is our override installed?" survives module reloads. */
export function markOverride(method: object, mark: symbol): void {
  Object.defineProperty(method, mark, { value: true });
}

/** Whether a method carries the given override mark. */
export function hasOverrideMark(method: unknown, mark: symbol): boolean {
  return typeof method === 'function' && (method as unknown as Record<symbol, unknown>)[mark] === true;
}
