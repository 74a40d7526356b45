import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { mockAnswer } from '../../src/mock/answer.js';
import { createRng } from '../../src/mock/hash.js';
import { sampleFromSchema } from '../../src/mock/schema-sample.js';
import type { ChatRequest } from '../../src/providers/types.js';

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });

const SCHEMAS: Record<string, Record<string, unknown>> = {
  classification: {
    type: 'object',
    properties: {
      category: { type: 'string', enum: ['Electronics', 'Books', 'Toys'] },
      confidence: { type: 'number', minimum: 0, maximum: 1 },
      reasons: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3 },
    },
    required: ['category', 'confidence', 'reasons'],
    additionalProperties: false,
  },
  nested: {
    type: 'object',
    properties: {
      product: {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 3, maxLength: 40 },
          price: { type: 'number', exclusiveMinimum: 0, maximum: 500, multipleOf: 0.5 },
          stock: { type: 'integer', minimum: 0, maximum: 10 },
          tags: { type: 'array', items: { type: 'string' }, uniqueItems: true, maxItems: 2 },
          onSale: { type: 'boolean' },
          discontinuedAt: { type: ['string', 'null'], format: 'date' },
        },
        required: ['name', 'price', 'stock', 'tags', 'onSale', 'discontinuedAt'],
      },
    },
    required: ['product'],
  },
  strictMode: {
    type: 'object',
    properties: {
      summary: { type: 'string' },
      language: { anyOf: [{ type: 'null' }, { type: 'string', const: 'en' }] },
      rating: { type: 'integer', enum: [1, 2, 3, 4, 5] },
    },
    required: ['summary', 'language', 'rating'],
    additionalProperties: false,
  },
  refsAndAllOf: {
    $defs: { person: { type: 'object', properties: { email: { type: 'string', format: 'email' }, age: { type: 'integer', minimum: 18 } }, required: ['email', 'age'] } },
    type: 'object',
    properties: {
      owner: { $ref: '#/$defs/person' },
      extended: { allOf: [{ $ref: '#/$defs/person' }, { properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] }] },
      people: { type: 'array', items: { $ref: '#/$defs/person' }, minItems: 2 },
    },
    required: ['owner', 'extended', 'people'],
  },
  recursive: {
    $defs: { node: { type: 'object', properties: { label: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/node' } } }, required: ['label', 'children'] } },
    $ref: '#/$defs/node',
  },
  topLevelArray: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, ok: { type: 'boolean' } }, required: ['id', 'ok'] }, minItems: 1 },
  tuple: { type: 'array', prefixItems: [{ type: 'integer' }, { type: 'string', format: 'date-time' }], minItems: 2, maxItems: 2 },
};

describe('sampleFromSchema', () => {
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    it(`satisfies the ${name} schema for many seeds`, () => {
      const validate = ajv.compile(schema);
      for (let seed = 0; seed < 200; seed++) {
        const value = sampleFromSchema(schema, { random: createRng(seed), categories: [], topic: 'kettle', root: schema });
        if (!validate(value)) throw new Error(`seed ${seed}: ${JSON.stringify(value)} → ${ajv.errorsText(validate.errors)}`);
      }
    });
  }

  it('fills label-like string fields with the prompt categories', () => {
    const schema = { type: 'object', properties: { category: { type: 'string' } }, required: ['category'] };
    const value = sampleFromSchema(schema, { random: createRng(1), categories: ['Red', 'Blue'], topic: 't', root: schema });
    expect(['Red', 'Blue']).toContain((value as { category: string }).category);
  });

  it('generates every listed property, so strict-mode schemas (all required) give the same answer', () => {
    const loose = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } }, required: ['a'] };
    const strict = { ...loose, required: ['a', 'b'], additionalProperties: false };
    const req = (schema: Record<string, unknown>): ChatRequest => ({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Extract fields from: a red teapot' }] }],
      params: { model: 'm', extra: {}, schema: { name: 'x', schema } },
    });
    expect(mockAnswer(req(loose)).text).toBe(mockAnswer(req(strict)).text);
  });
});
