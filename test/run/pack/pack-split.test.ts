import { describe, expect, it } from 'vitest';
import type { Completion, Usage } from '../../../src/providers/types.js';
import { describePackAnswer } from '../../../src/run/pack/pack-shape.js';
import { splitPackedAnswer, type PackSplitInput } from '../../../src/run/pack/pack-split.js';

const CATEGORY = {
  type: 'object',
  properties: { category: { type: 'string', enum: ['a', 'b'] }, score: { type: 'number' } },
  required: ['category'],
};
const withSchema = describePackAnswer({ schema: { name: 'answer', schema: CATEGORY } });
const freeText = describePackAnswer({});
const jsonMode = describePackAnswer({ jsonOutput: true });
const enumRoot = describePackAnswer({ schema: { name: 'answer', schema: { type: 'string', enum: ['x', 'y'] } } });

const USAGE: Usage = { inputTokens: 1000, outputTokens: 90, cachedInputTokens: 400, cacheWriteTokens: 0, reasoningTokens: 0 };

function completion(text: string, overrides: Partial<Completion> = {}): Completion {
  return { text, finishReason: 'stop', truncated: false, usage: USAGE, model: 'gpt-4o-mini-2024', ...overrides };
}

function input(text: string, shape = withSchema, overrides: Partial<PackSplitInput> = {}): PackSplitInput {
  return {
    completion: completion(text),
    members: [
      { id: 'a', weight: 100 },
      { id: 'b', weight: 300 },
      { id: 'c', weight: 600 },
    ],
    shape,
    costUsd: 0.0003,
    attempts: 2,
    latencyMs: 812.4,
    cached: false,
    mode: 'realtime',
    ts: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

const items = (...entries: unknown[]) => JSON.stringify({ items: entries });

describe('splitPackedAnswer', () => {
  it('gives each item its own result with shared usage, cost, attempts and finish reason', () => {
    const split = splitPackedAnswer(input(items({ id: 'a', category: 'a' }, { id: 'c', category: 'b', score: 0.5 }, { id: 'b', category: 'a' })));
    if (!split.ok) throw new Error(split.reason);
    expect(split.fallback).toEqual([]);
    expect(split.answered.map((a) => a.record.id)).toEqual(['a', 'b', 'c']);
    const c = split.answered[2].record;
    expect(c).toMatchObject({ output: '{"category":"b","score":0.5}', parsed: { category: 'b', score: 0.5 }, model: 'gpt-4o-mini-2024', attempts: 2, latency_ms: 812, cached: false, finish_reason: 'stop', mode: 'realtime' });
    expect(split.answered.map((a) => a.record.usage.input_tokens)).toEqual([100, 300, 600]);
    expect(split.answered.map((a) => a.record.usage.output_tokens)).toEqual([30, 30, 30]);
    expect(split.answered.map((a) => a.record.usage.cached_input_tokens)).toEqual([40, 120, 240]);
    const pico = split.answered.reduce((sum, a) => sum + Math.round((a.record.cost_usd ?? 0) * 1e12), 0);
    expect(pico).toBe(Math.round(0.0003 * 1e12));
    expect(split.unused.usage.inputTokens).toBe(0);
  });

  it.each([
    { name: 'not JSON', text: 'Sure! Here are the answers:', reason: /not valid JSON/ },
    { name: 'no items list', text: '{"items":"malformed"}', reason: /no "items" list/ },
    { name: 'a scalar', text: '42', reason: /no "items" list/ },
  ])('reports a malformed answer as a whole: $name', ({ text, reason }) => {
    const split = splitPackedAnswer(input(text));
    expect(split.ok).toBe(false);
    if (!split.ok) expect(split.reason).toMatch(reason);
  });

  it('treats a truncated answer as malformed, even when it happens to parse', () => {
    const split = splitPackedAnswer({ ...input(items({ id: 'a', category: 'a' })), completion: completion(items({ id: 'a', category: 'a' }), { truncated: true, finishReason: 'length' }) });
    expect(split).toEqual({ ok: false, reason: 'the answer was cut off (finish_reason length)' });
  });

  it('accepts a bare array and an answer wrapped in a Markdown fence', () => {
    const bare = splitPackedAnswer(input(JSON.stringify([{ id: 'a', category: 'a' }, { id: 'b', category: 'a' }, { id: 'c', category: 'a' }])));
    expect(bare.ok && bare.answered).toHaveLength(3);
    const fenced = splitPackedAnswer(input('```json\n' + items({ id: 'a', category: 'a' }) + '\n```'));
    expect(fenced.ok && fenced.answered).toHaveLength(1);
  });

  it('sends missing, unknown-shaped and invalid entries back one by one; their shares count as unused', () => {
    const split = splitPackedAnswer(input(items({ id: 'a', category: 'zzz' }, { id: 'b', category: 'b' }, { id: 'stranger', category: 'a' }, 'not an object')));
    if (!split.ok) throw new Error(split.reason);
    expect(split.answered.map((a) => a.record.id)).toEqual(['b']);
    expect(split.fallback).toEqual([
      { id: 'a', reason: expect.stringMatching(/does not match the schema/) },
      { id: 'c', reason: 'missing from the packed answer' },
    ]);
    expect(split.unused.usage.inputTokens).toBe(700);
    expect(split.unused.usage.outputTokens + split.answered[0].usage.outputTokens).toBe(USAGE.outputTokens);
    const pico = Math.round((split.unused.costUsd ?? 0) * 1e12) + Math.round((split.answered[0].record.cost_usd ?? 0) * 1e12);
    expect(pico).toBe(Math.round(0.0003 * 1e12));
  });

  it('keeps the first entry when an id is repeated', () => {
    const split = splitPackedAnswer(input(items({ id: 'a', category: 'a' }, { id: 'a', category: 'b' })));
    expect(split.ok && split.answered[0].record.parsed).toEqual({ category: 'a' });
  });

  it.each([
    { name: 'free text', shape: freeText, entry: { id: 'a', answer: 'Books' }, output: 'Books', parsed: undefined },
    { name: 'JSON mode', shape: jsonMode, entry: { id: 'a', answer: { k: 1 } }, output: '{"k":1}', parsed: { k: 1 } },
    { name: 'non-object schema', shape: enumRoot, entry: { id: 'a', answer: 'x' }, output: '"x"', parsed: 'x' },
  ])('reads the "answer" key: $name', ({ shape, entry, output, parsed }) => {
    const split = splitPackedAnswer(input(items(entry), shape));
    if (!split.ok) throw new Error(split.reason);
    expect(split.answered[0].record.output).toBe(output);
    expect(split.answered[0].record.parsed).toEqual(parsed);
    expect('parsed' in split.answered[0].record).toBe(parsed !== undefined);
  });

  it.each([
    { name: 'free text that is not text', shape: freeText, entry: { id: 'a', answer: 3 } },
    { name: 'JSON mode that is not an object', shape: jsonMode, entry: { id: 'a', answer: 'x' } },
    { name: 'an enum value not allowed', shape: enumRoot, entry: { id: 'a', answer: 'z' } },
    { name: 'no answer key', shape: freeText, entry: { id: 'a', text: 'Books' } },
  ])('falls back for $name', ({ shape, entry }) => {
    const split = splitPackedAnswer(input(items(entry), shape));
    expect(split.ok && split.fallback.map((f) => f.id)).toEqual(['a', 'b', 'c']);
  });

  it('prices a cache hit at 0 and marks it cached; an unknown price stays null', () => {
    const cached = splitPackedAnswer(input(items({ id: 'a', category: 'a' }), withSchema, { cached: true, costUsd: 0, attempts: 0 }));
    expect(cached.ok && cached.answered[0].record).toMatchObject({ cached: true, cost_usd: 0, attempts: 0 });
    const unpriced = splitPackedAnswer(input(items({ id: 'a', category: 'a' }), withSchema, { costUsd: null }));
    expect(unpriced.ok && unpriced.answered[0].record.cost_usd).toBeNull();
    expect(unpriced.ok && unpriced.unused.costUsd).toBeNull();
  });
});
