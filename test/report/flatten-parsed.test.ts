import { describe, expect, it } from 'vitest';
import { flattenParsed } from '../../src/report/flatten-parsed.js';

describe('flattenParsed', () => {
  it.each([
    ['no answer', undefined, {}],
    ['a flat object', { category: 'a', score: 1 }, { 'parsed.category': 'a', 'parsed.score': 1 }],
    ['nested objects as dotted keys', { meta: { score: 0.5, deep: { x: true } } }, { 'parsed.meta.score': 0.5, 'parsed.meta.deep.x': true }],
    ['arrays as values', { tags: ['a', 'b'] }, { 'parsed.tags': ['a', 'b'] }],
    ['null kept', { label: null }, { 'parsed.label': null }],
    ['an empty nested object kept as a value', { meta: {} }, { 'parsed.meta': {} }],
    ['an empty object gives no column', {}, {}],
    ['a bare string', 'yes', { parsed: 'yes' }],
    ['a bare array', [1, 2], { parsed: [1, 2] }],
  ])('%s', (_name, parsed, expected) => {
    expect({ ...flattenParsed(parsed) }).toEqual(expected);
  });

  it('keeps the answer key order', () => {
    expect(Object.keys(flattenParsed({ z: 1, a: { c: 1, b: 2 } }))).toEqual(['parsed.z', 'parsed.a.c', 'parsed.a.b']);
  });
});
