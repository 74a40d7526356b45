import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { REDIS_OUTAGE_GRACE_MS, watchRedisOutage } from '../../src/scheduler/redis-outage.js';

describe('watchRedisOutage', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function watch() {
    const client = new EventEmitter();
    const seen: string[] = [];
    const handle = watchRedisOutage(client, {
      onDown: () => seen.push('down'),
      onBack: (ms) => seen.push(`back ${ms}`),
      onLost: (ms) => seen.push(`lost ${ms}`),
    }, { now: Date.now });
    return { client, seen, handle };
  }

  it('rides out an outage shorter than the grace period, once per outage', () => {
    const { client, seen, handle } = watch();
    client.emit('close');
    client.emit('close'); // each failed reconnect closes again: still one outage
    vi.advanceTimersByTime(3_000);
    client.emit('ready');
    expect(seen).toEqual(['down', 'back 3000']);
    expect(handle.down).toBe(false);
  });

  it('reports a lost Redis once the grace period has passed, and only once', () => {
    const { client, seen, handle } = watch();
    client.emit('close');
    vi.advanceTimersByTime(REDIS_OUTAGE_GRACE_MS - 500);
    expect(seen).toEqual(['down']);
    vi.advanceTimersByTime(1_000);
    expect(seen).toHaveLength(2);
    expect(seen[1]).toMatch(/^lost \d+$/);
    expect(Number(seen[1].split(' ')[1])).toBeGreaterThanOrEqual(REDIS_OUTAGE_GRACE_MS);
    client.emit('ready');
    client.emit('close');
    vi.advanceTimersByTime(REDIS_OUTAGE_GRACE_MS * 2);
    expect(seen).toHaveLength(2);
    expect(handle.down).toBe(true);
  });

  it('stop() ends the watch', () => {
    const { client, seen, handle } = watch();
    handle.stop();
    client.emit('close');
    vi.advanceTimersByTime(REDIS_OUTAGE_GRACE_MS * 2);
    expect(seen).toEqual([]);
  });
});
