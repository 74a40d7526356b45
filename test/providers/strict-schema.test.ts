import { describe, expect, it } from 'vitest';
import { toStrictSchema } from '../../src/providers/strict-schema.js';

describe('toStrictSchema', () => {
  it('requires every property and forbids extras, recursively', () => {
    const schema = {
      type: 'object',
      properties: {
        a: { type: 'string' },
        nested: { type: 'object', properties: { b: { type: 'integer' } } },
        list: { type: 'array', items: { type: 'object', properties: { c: { type: 'boolean' } }, required: [] } },
        either: { anyOf: [{ type: 'string' }, { type: 'object', properties: { d: { type: 'number' } } }] },
      },
      $defs: { thing: { type: 'object', properties: { e: { type: 'string' } } } },
    };
    expect(toStrictSchema(schema)).toEqual({
      type: 'object',
      properties: {
        a: { type: 'string' },
        nested: { type: 'object', properties: { b: { type: 'integer' } }, required: ['b'], additionalProperties: false },
        list: {
          type: 'array',
          items: { type: 'object', properties: { c: { type: 'boolean' } }, required: ['c'], additionalProperties: false },
        },
        either: {
          anyOf: [{ type: 'string' }, { type: 'object', properties: { d: { type: 'number' } }, required: ['d'], additionalProperties: false }],
        },
      },
      $defs: { thing: { type: 'object', properties: { e: { type: 'string' } }, required: ['e'], additionalProperties: false } },
      required: ['a', 'nested', 'list', 'either'],
      additionalProperties: false,
    });
  });

  it.each<[string, Record<string, unknown>]>([
    ['a non-object root', { type: 'array', items: { type: 'string' } }],
    ['a dictionary', { type: 'object', additionalProperties: { type: 'number' } }],
    ['a free-form object', { type: 'object' }],
    ['a nested free-form object', { type: 'object', properties: { meta: { type: 'object' } } }],
    ['oneOf', { type: 'object', properties: { v: { oneOf: [{ type: 'string' }, { type: 'number' }] } } }],
  ])('gives up on %s', (_name, schema) => {
    expect(toStrictSchema(schema)).toBeUndefined();
  });
});
