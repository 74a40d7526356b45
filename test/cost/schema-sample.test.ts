import { describe, expect, it } from 'vitest';
import { SAMPLE_STRING, sampleFromSchema } from '../../src/cost/schema-sample.js';

describe('sampleFromSchema', () => {
  it.each([
    ['string', { type: 'string' }, SAMPLE_STRING],
    ['enum', { type: 'string', enum: ['a', 'b'] }, 'a'],
    ['const', { const: 7 }, 7],
    ['integer', { type: 'integer' }, 42],
    ['number', { type: 'number' }, 0.75],
    ['boolean', { type: 'boolean' }, true],
    ['null', { type: 'null' }, null],
    ['nullable type list', { type: ['null', 'integer'] }, 42],
    ['date-time', { type: 'string', format: 'date-time' }, '2024-01-01T00:00:00Z'],
    ['anyOf skips null', { anyOf: [{ type: 'null' }, { type: 'boolean' }] }, true],
    ['array of one by default', { type: 'array', items: { type: 'integer' } }, [42]],
    ['array honours minItems up to 3', { type: 'array', items: { type: 'boolean' }, minItems: 5 }, [true, true, true]],
    ['object with every property', { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'boolean' } } }, { a: 42, b: true }],
    ['implicit object', { properties: { a: { type: 'null' } } }, { a: null }],
    ['unresolved $ref', { $ref: '#/$defs/x' }, SAMPLE_STRING],
    ['not a schema', 'oops', SAMPLE_STRING],
  ])('%s', (_name, schema, expected) => {
    expect(sampleFromSchema(schema)).toEqual(expected);
  });

  it('stops at a fixed depth on deeply nested schemas', () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 50; i++) schema = { type: 'object', properties: { child: schema } };
    expect(JSON.stringify(sampleFromSchema(schema)).length).toBeLessThan(200);
  });
});
