import { describe, expect, it } from 'vitest';
import { CustomIdAllocator, isSafeCustomId } from '../../../src/providers/batch/custom-ids.js';

describe('isSafeCustomId', () => {
  it.each([
    ['item-1', true],
    ['a_B-9', true],
    ['x'.repeat(64), true],
    ['x'.repeat(65), false],
    ['', false],
    ['has space', false],
    ['ünï', false],
    ['a/b', false],
  ])('%j → %s', (id, safe) => expect(isSafeCustomId(id)).toBe(safe));
});

describe('CustomIdAllocator', () => {
  it('keeps safe ids and replaces unsafe ones with short unique ids', () => {
    const ids = new CustomIdAllocator();
    expect(ids.allocate('item-1')).toBe('item-1');
    expect(ids.allocate('has space')).toBe('i1');
    expect(ids.allocate('x'.repeat(200))).toBe('i2');
  });

  it('never hands out the same id twice, even when item ids clash with generated ones', () => {
    const ids = new CustomIdAllocator();
    const given = ['has space', 'i1', 'i2', 'ü', 'i3', 'i1'].map((id) => ids.allocate(id));
    expect(new Set(given).size).toBe(given.length);
    expect(given.every(isSafeCustomId)).toBe(true);
    expect(given.slice(0, 3)).toEqual(['i1', 'i2', 'i3']);
  });
});
