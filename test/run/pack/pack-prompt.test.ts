import { describe, expect, it } from 'vitest';
import { toStrictSchema } from '../../../src/providers/strict-schema.js';
import type { RequestParams } from '../../../src/providers/types.js';
import { compileOutputSchema } from '../../../src/providers/validate-output.js';
import { parsePackedPrompt, formatItemHeader } from '../../../src/run/pack/pack-format.js';
import { buildPackedRequest } from '../../../src/run/pack/pack-prompt.js';
import { describePackAnswer } from '../../../src/run/pack/pack-shape.js';
import type { ChatMessage } from '../../../src/template/types.js';

const CATEGORY = {
  type: 'object',
  properties: { category: { type: 'string', enum: ['a', 'b'] }, score: { type: 'number' } },
  required: ['category'],
  additionalProperties: false,
};

const user = (text: string): ChatMessage => ({ role: 'user', content: [{ type: 'text', text }] });
const system: ChatMessage = { role: 'system', content: [{ type: 'text', text: 'Classify into one of: a, b.' }] };
const params = (extra: Partial<RequestParams> = {}): RequestParams => ({ model: 'gpt-4o-mini', extra: { seed: 1 }, temperature: 0, ...extra });

describe('describePackAnswer', () => {
  it.each([
    // CATEGORY's optional `score` is not nullable: openai-node's strict rules refuse it, so strict: false.
    { name: 'object schema → fields beside id', params: { schema: { name: 'answer', schema: CATEGORY } }, placement: 'fields', strict: false },
    { name: 'no schema → text under "answer"', params: {}, placement: 'answer', strict: true },
    // A free-form object cannot be expressed in strict mode; the wire then sends strict: false.
    { name: 'JSON mode → object under "answer"', params: { jsonOutput: true }, placement: 'answer', strict: false },
    { name: 'non-object schema → under "answer"', params: { schema: { name: 'answer', schema: { type: 'string', enum: ['x', 'y'] } } }, placement: 'answer', strict: true },
    {
      name: 'object schema with its own id → under "answer"',
      params: { schema: { name: 'answer', schema: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] } } },
      placement: 'answer',
      strict: true,
    },
  ])('$name', ({ params: p, placement, strict }) => {
    const shape = describePackAnswer(p);
    expect(shape.placement).toBe(placement);
    const root = shape.schema.schema;
    // An object root: Anthropic tool inputs and OpenAI strict schemas need one.
    expect(root).toMatchObject({ type: 'object', required: ['items'], properties: { items: { type: 'array' } } });
    expect(toStrictSchema(root).ok).toBe(strict);
    expect(() => compileOutputSchema(root)).not.toThrow();
  });

  it('wraps an object schema as {items: [{id, …its properties}]} with id required first', () => {
    const shape = describePackAnswer({ schema: { name: 'answer', schema: CATEGORY } });
    expect(shape.schema.schema).toMatchObject({
      type: 'object',
      properties: {
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: { id: { type: 'string' }, category: CATEGORY.properties.category, score: { type: 'number' } },
            required: ['id', 'category'],
            additionalProperties: false,
          },
        },
      },
      required: ['items'],
    });
    const validate = compileOutputSchema(shape.schema.schema);
    expect(validate({ items: [{ id: '1', category: 'a' }] })).toBe(true);
    expect(validate({ items: [{ category: 'a' }] })).toBe(false);
    expect(validate([{ id: '1', category: 'a' }])).toBe(false);
  });

  it('keeps $defs at the root so references still resolve', () => {
    const schema = { type: 'object', $defs: { label: { type: 'string', enum: ['x'] } }, properties: { label: { $ref: '#/$defs/label' } }, required: ['label'] };
    const wrapped = describePackAnswer({ schema: { name: 'answer', schema } }).schema.schema;
    expect(wrapped.$defs).toEqual(schema.$defs);
    const validate = compileOutputSchema(wrapped);
    expect(validate({ items: [{ id: '1', label: 'x' }] })).toBe(true);
    expect(validate({ items: [{ id: '1', label: 'y' }] })).toBe(false);
  });
});

describe('buildPackedRequest', () => {
  const members = [
    { id: 'p-1', message: user('Item one text') },
    { id: 'p "2"', message: user('Item two text') },
    { id: 'p-3', message: { role: 'user' as const, content: [{ type: 'text' as const, text: 'Look:' }, { type: 'image' as const, url: 'https://x/y.png' }] } },
  ];

  it('sends the shared prefix once, then one user message listing every item under its id', () => {
    const shape = describePackAnswer({ schema: { name: 'answer', schema: CATEGORY } });
    const request = buildPackedRequest({ prefix: [system], members, shape, params: params(), maxTokens: 3000 });
    expect(request.messages).toHaveLength(2);
    expect(request.messages[0]).toEqual(system);
    const content = request.messages[1].content;
    expect(content.filter((p) => p.type === 'image')).toEqual([{ type: 'image', url: 'https://x/y.png' }]);
    const text = content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');
    expect(parsePackedPrompt(text)).toEqual([
      { id: 'p-1', text: 'Item one text' },
      { id: 'p "2"', text: 'Item two text' },
      { id: 'p-3', text: 'Look:' },
    ]);
    expect(text).toContain('There are 3 items below');
    expect(text).toMatch(/Answer with a JSON object \{"items": \[\.\.\.\]\}/);
  });

  it.each([
    { name: 'schema', p: { schema: { name: 'answer', schema: CATEGORY } }, hint: 'the fields of that item\'s answer' },
    { name: 'free text', p: {}, hint: '"answer": your answer to that item, as text' },
    { name: 'JSON mode', p: { jsonOutput: true }, hint: '"answer": your answer to that item, as JSON' },
  ])('with $name: the pack schema replaces the run\'s; other parameters are kept', ({ p, hint }) => {
    const shape = describePackAnswer(p);
    const request = buildPackedRequest({ prefix: [], members, shape, params: params(p), maxTokens: 2048 });
    expect(request.params).toEqual({ model: 'gpt-4o-mini', extra: { seed: 1 }, temperature: 0, schema: shape.schema, maxTokens: 2048 });
    expect('jsonOutput' in request.params).toBe(false);
    const last = request.messages.at(-1)?.content.at(-1);
    expect(last?.type === 'text' && last.text).toContain(hint);
  });

  it('never edits the rendered messages it packs', () => {
    const message = user('Only text');
    const before = JSON.stringify(message);
    buildPackedRequest({ prefix: [], members: [{ id: 'a', message }, { id: 'b', message }], shape: describePackAnswer({}), params: params(), maxTokens: 10 });
    expect(JSON.stringify(message)).toBe(before);
  });
});

describe('parsePackedPrompt', () => {
  it.each([
    { text: 'no headers here', ids: [] },
    { text: `${formatItemHeader('a')}\nx\n${formatItemHeader('b')}\ny`, ids: ['a', 'b'] },
    { text: `${formatItemHeader('quote " and \\ slash')}\nx`, ids: ['quote " and \\ slash'] },
    { text: `=== item not-json ===\nx`, ids: [] },
  ])('$text → $ids', ({ text, ids }) => {
    expect(parsePackedPrompt(text).map((item) => item.id)).toEqual(ids);
  });
});
