import { describe, expect, it } from 'vitest';
import { extractIdFast, idOfRecord } from '../../src/journal/fast-id.js';

function fast(line: string): string | undefined {
  const buffer = Buffer.from(`xx${line}yy`);
  return extractIdFast(buffer, 2, buffer.length - 2);
}

describe('extractIdFast', () => {
  it.each([
    ['{"id":"item-1","output":"x"}', 'item-1'],
    ['{"id":"42"}', '42'],
    ['{"id":"日本","a":1}', '日本'],
    ['{"id":"a"}\r', 'a'],
    ['{"id":"a"}  ', 'a'],
    ['{"id":""}', ''],
  ])('%s → %s', (line, id) => {
    expect(fast(line)).toBe(id);
  });

  it.each([
    ['escaped quote', '{"id":"a\\"b","x":1}'],
    ['escaped unicode', '{"id":"\\u0041"}'],
    ['id not first', '{"output":"x","id":"a"}'],
    ['numeric id', '{"id":7}'],
    ['spaces after colon', '{"id": "a"}'],
    ['torn line', '{"id":"a","output":"tr'],
    ['torn inside the id', '{"id":"ab'],
    ['blank', ''],
    ['not an object', '"id"'],
  ])('falls back to a real parse for %s', (_name, line) => {
    expect(fast(line)).toBeUndefined();
  });
});

describe('idOfRecord', () => {
  it.each([
    [{ id: 'a' }, 'a'],
    [{ id: 7 }, '7'],
    [{ id: null }, undefined],
    [{ other: 1 }, undefined],
    [null, undefined],
    ['a', undefined],
  ])('%j → %s', (record, id) => {
    expect(idOfRecord(record)).toBe(id);
  });
});
