import { describe, expect, it } from 'vitest';
import { stringifyCanonical } from '../../src/cache/canonical-json.js';

describe('stringifyCanonical', () => {
  it.each([
    ['sorts keys', { b: 1, a: 2 }, '{"a":2,"b":1}'],
    ['sorts nested keys', { z: { y: 1, x: [{ d: 1, c: 2 }] } }, '{"z":{"x":[{"c":2,"d":1}],"y":1}}'],
    ['drops undefined properties', { a: undefined, b: 1 }, '{"b":1}'],
    ['keeps null', { a: null }, '{"a":null}'],
    ['undefined in an array is null', [1, undefined, 2], '[1,null,2]'],
    ['keeps array order', [3, 1, 2], '[3,1,2]'],
    ['escapes strings', { 'k"': 'line\nbreak' }, '{"k\\"":"line\\nbreak"}'],
    ['top-level undefined', undefined, 'null'],
    ['uses toJSON', { when: new Date(0) }, '{"when":"1970-01-01T00:00:00.000Z"}'],
  ])('%s', (_name, value, expected) => {
    expect(stringifyCanonical(value)).toBe(expected);
  });

  it('orders keys as Array.prototype.sort does, for small and large objects', () => {
    const names = ['b', 'a', 'B', 'é', 'aa', '10', '9', '', 'z', 'Z', '🙂', 'ä', '_', 'a b', 'A', '1', 'c', 'x'];
    for (const size of [2, 3, 8, 16, 17, names.length]) {
      const record = Object.fromEntries(names.slice(0, size).map((name, i) => [name, i]));
      const expected = `{${[...Object.keys(record)].sort().map((key) => `${JSON.stringify(key)}:${record[key]}`).join(',')}}`;
      expect(stringifyCanonical(record)).toBe(expected);
    }
  });

  it('agrees with JSON.stringify apart from key order', () => {
    const value = { text: 'héllo ✓ 🙂', n: -0.5e-7, ok: true, list: [{ a: 1 }], nested: { deep: { deeper: 'x' } } };
    expect(JSON.parse(stringifyCanonical(value))).toEqual(value);
  });
});
