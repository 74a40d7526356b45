/**
 * Strict-mode eligibility against the reference: openai-node's own `toStrictJsonSchema` (the `openai`
 * devDependency, openai/openai-node src/lib/transform.ts). Every schema we send strict must be one it
 * converts, to the same result; every case the issue found (uniqueItems, allOf, not, if/then,
 * patternProperties, arrays without items) must be sent non-strict.
 */
import { toStrictJsonSchema } from 'openai/lib/transform';
import { describe, expect, it } from 'vitest';
import { toStrictSchema } from '../../src/providers/strict-schema.js';

type Schema = Record<string, unknown>;

/** What openai-node makes of a schema, or undefined when it refuses it. */
function reference(schema: Schema): Schema | undefined {
  try {
    return toStrictJsonSchema(structuredClone(schema) as never) as Schema;
  } catch {
    return undefined;
  }
}

const ELIGIBLE: Array<[string, Schema]> = [
  ['flat object, all required', { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } }, required: ['a', 'b'] }],
  [
    'nested objects, arrays, anyOf and $defs',
    {
      type: 'object',
      properties: {
        nested: { type: 'object', properties: { b: { type: 'integer' } }, required: ['b'] },
        list: { type: 'array', items: { type: 'object', properties: { c: { type: 'boolean' } }, required: ['c'] } },
        either: { anyOf: [{ type: 'string' }, { type: 'object', properties: { d: { type: 'number' } }, required: ['d'] }] },
        ref: { $ref: '#/$defs/thing' },
      },
      required: ['nested', 'list', 'either', 'ref'],
      $defs: { thing: { type: 'object', properties: { e: { type: 'string' } }, required: ['e'] } },
    },
  ],
  [
    'an optional property that is nullable',
    { type: 'object', properties: { a: { type: 'string' }, note: { type: ['string', 'null'] } }, required: ['a'] },
  ],
  ['enum and closed object', { type: 'object', properties: { label: { enum: ['x', 'y'] } }, required: ['label'], additionalProperties: false }],
];

const NOT_ELIGIBLE: Array<[string, Schema]> = [
  ['uniqueItems', { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' }, uniqueItems: true } }, required: ['tags'] }],
  [
    'allOf (closing each branch would make it unsatisfiable)',
    {
      type: 'object',
      properties: { v: { allOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { type: 'object', properties: { b: { type: 'string' } } }] } },
      required: ['v'],
    },
  ],
  ['not', { type: 'object', properties: { v: { type: 'string', not: { const: 'x' } } }, required: ['v'] }],
  ['if/then', { type: 'object', properties: { v: { type: 'string' } }, required: ['v'], if: { properties: { v: { const: 'a' } } }, then: { required: ['v'] } }],
  ['patternProperties', { type: 'object', properties: { m: { type: 'object', patternProperties: { '^x': { type: 'string' } } } }, required: ['m'] }],
  ['an array without items', { type: 'object', properties: { list: { type: 'array' } }, required: ['list'] }],
  ['a tuple', { type: 'object', properties: { pair: { type: 'array', items: [{ type: 'string' }, { type: 'number' }] } }, required: ['pair'] }],
  ['an optional property that is not nullable', { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, required: ['a'] }],
  ['a dictionary', { type: 'object', additionalProperties: { type: 'number' } }],
  ['a non-object root', { type: 'array', items: { type: 'string' } }],
  ['a root union', { type: 'object', anyOf: [{ properties: { a: { type: 'string' } } }] }],
];

describe('toStrictSchema', () => {
  it.each(ELIGIBLE)('sends %s strict, converted exactly as openai-node converts it', (_name, schema) => {
    const ours = toStrictSchema(schema);
    expect(ours).toEqual({ ok: true, schema: reference(schema) });
  });

  it.each(NOT_ELIGIBLE)('sends a schema with %s non-strict, as openai-node refuses it', (_name, schema) => {
    const ours = toStrictSchema(schema);
    expect(ours.ok).toBe(false);
    expect(reference(schema)).toBeUndefined();
  });

  it.each<[string, Schema]>([
    ['a free-form object', { type: 'object' }],
    ['a nested free-form object', { type: 'object', properties: { meta: { type: 'object' } }, required: ['meta'] }],
    ['oneOf', { type: 'object', properties: { v: { oneOf: [{ type: 'string' }, { type: 'number' }] } }, required: ['v'] }],
  ])('is more careful than openai-node with %s: non-strict, never closed to {}', (_name, schema) => {
    expect(toStrictSchema(schema).ok).toBe(false);
  });

  it('says why in words the warning can use', () => {
    expect(toStrictSchema(NOT_ELIGIBLE[0][1])).toEqual({ ok: false, reason: '`/properties/tags` uses `uniqueItems`' });
  });

  it('does not mutate the input', () => {
    const schema = structuredClone(ELIGIBLE[1][1]);
    toStrictSchema(schema);
    expect(schema).toEqual(ELIGIBLE[1][1]);
  });
});
