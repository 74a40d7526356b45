import { describe, expect, it } from 'vitest';
import { LocalSlots } from '../../src/scheduler/local-slots.js';

describe('LocalSlots', () => {
  it('starts at most `size` at once, the rest in arrival order as slots are released', () => {
    const slots = new LocalSlots(2);
    const started: number[] = [];
    for (let i = 0; i < 5; i += 1) slots.acquire(() => started.push(i));
    expect(started).toEqual([0, 1]);
    slots.release();
    expect(started).toEqual([0, 1, 2]);
    slots.release();
    slots.release();
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('gives a released slot back to the pool when nobody waits', () => {
    const slots = new LocalSlots(1);
    const started: string[] = [];
    slots.acquire(() => started.push('a'));
    slots.release();
    slots.acquire(() => started.push('b'));
    slots.acquire(() => started.push('c'));
    expect(started).toEqual(['a', 'b']);
  });

  it('keeps order across a queue that never empties (compaction)', () => {
    const slots = new LocalSlots(1);
    const started: number[] = [];
    slots.acquire(() => started.push(-1));
    // Always one more waiter than slots: the queue is compacted while it is still in use.
    for (let i = 0; i < 5000; i += 1) {
      slots.acquire(() => started.push(i));
      slots.release();
    }
    expect(started).toEqual([-1, ...Array.from({ length: 5000 }, (_, i) => i)]);
  });
});
