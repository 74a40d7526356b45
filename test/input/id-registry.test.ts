import { describe, expect, it } from 'vitest';
import { IdRegistry } from '../../src/input/id-registry.js';

describe('IdRegistry', () => {
  it('keeps tags given after growing without any (they are stored only once one is given)', () => {
    const ids = new IdRegistry();
    for (let i = 0; i < 5000; i += 1) ids.add(`id-${i}`, i + 1);
    expect(ids.tagOf('id-42')).toBe(0);
    expect(ids.addTagged('id-42', 0, 7)).toBe(43);
    expect(ids.addTagged('id-new', 9000, 8)).toBeUndefined();
    for (let i = 5000; i < 20_000; i += 1) ids.add(`id-${i}`, i + 1);
    expect([ids.tagOf('id-42'), ids.tagOf('id-new'), ids.tagOf('id-43'), ids.tagOf('id-19999'), ids.tagOf('missing')]).toEqual([7, 8, 0, 0, 0]);
  });

  it('returns undefined for a new id and the first line for a repeated one', () => {
    const ids = new IdRegistry();
    expect(ids.add('a17', 4)).toBeUndefined();
    expect(ids.add('a18', 5)).toBeUndefined();
    expect(ids.add('a17', 30)).toBe(4);
    expect(ids.add('a17', 31)).toBe(4);
    expect(ids.size).toBe(2);
  });

  it('tells apart ids that are prefixes of each other, empty, or differ only in Unicode', () => {
    const ids = new IdRegistry();
    const distinct = ['', 'a', 'ab', 'abc', 'é', 'e\u0301', '日本', '日本語', '🦖', '🦕', 'A'];
    distinct.forEach((id, i) => expect(ids.add(id, i + 1)).toBeUndefined());
    distinct.forEach((id, i) => expect(ids.add(id, 100)).toBe(i + 1));
    expect(ids.size).toBe(distinct.length);
  });

  it('stays exact while growing past its initial sizes', () => {
    const ids = new IdRegistry();
    const idAt = (i: number) => `item-${i}-${'x'.repeat(i % 40)}`;
    const falseDuplicates: number[] = [];
    for (let i = 0; i < 200_000; i += 1) if (ids.add(idAt(i), i + 1) !== undefined) falseDuplicates.push(i);
    expect(falseDuplicates).toEqual([]);
    const firstLines = Array.from({ length: 200 }, (_, k) => ids.add(idAt(k * 997), 0));
    expect(firstLines).toEqual(Array.from({ length: 200 }, (_, k) => k * 997 + 1));
    expect(ids.add('item-200000-', 0)).toBeUndefined();
    expect(ids.size).toBe(200_001);
  });

  it('answers has() for ids added as strings or as UTF-8 bytes, short and long, ASCII or not', () => {
    const ids = new IdRegistry();
    const long = `long-${'x'.repeat(100)}`;
    const viaBytes = ['item-1', 'é-2', long, '🦖'];
    const source = Buffer.from(`[${viaBytes.join('|')}]`);
    let at = 1;
    viaBytes.forEach((id, i) => {
      const length = Buffer.byteLength(id);
      expect(ids.addBytes(source, at, at + length, i + 1)).toBeUndefined();
      at += length + 1;
    });
    ids.add('日本', 9);
    for (const id of [...viaBytes, '日本']) expect(ids.has(id)).toBe(true);
    for (const id of ['item-', 'item-10', 'e\u0301-2', `${long}y`, '🦕', '']) expect(ids.has(id)).toBe(false);
    // The same id by either door is one id.
    expect(ids.add('item-1', 50)).toBe(1);
    expect(ids.addBytes(Buffer.from('日本'), 0, 6, 51)).toBe(9);
    expect(ids.size).toBe(5);
  });

  it('claims an id added with line 0 once, then names the first claim on every repeat', () => {
    const ids = new IdRegistry();
    ids.add('done-1', 0);
    ids.add('done-2', 0);
    expect(ids.claim('other', 3)).toBeNull();
    expect(ids.claim('done-1', 4)).toBeUndefined();
    expect(ids.claim('done-1', 9)).toBe(4);
    expect(ids.claim('done-2', 12)).toBeUndefined();
    expect(ids.claim('done-1', 13)).toBe(4);
    expect(ids.has('other')).toBe(false);
    expect(ids.size).toBe(2);
  });
});
