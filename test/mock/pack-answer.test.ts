import { describe, expect, it } from 'vitest';
import { mockAnswer } from '../../src/mock/answer.js';
import { RecentRequests } from '../../src/mock/recent-requests.js';
import { startMockServer } from '../../src/mock/server.js';
import type { ChatRequest, RequestParams } from '../../src/providers/types.js';
import { compileOutputSchema } from '../../src/providers/validate-output.js';
import { buildPackedRequest } from '../../src/run/pack/pack-prompt.js';
import { describePackAnswer } from '../../src/run/pack/pack-shape.js';
import { splitPackedAnswer } from '../../src/run/pack/pack-split.js';
import type { ChatMessage } from '../../src/template/types.js';

const CATEGORY = {
  type: 'object',
  properties: { category: { type: 'string' }, confidence: { type: 'number' } },
  required: ['category', 'confidence'],
};
const system: ChatMessage = { role: 'system', content: [{ type: 'text', text: 'Classify each product into one of: Kitchen, Garden, Toys.' }] };
const base: RequestParams = { model: 'gpt-4o-mini', extra: {} };

function packed(texts: string[], params: Pick<RequestParams, 'schema' | 'jsonOutput'> = { schema: { name: 'answer', schema: CATEGORY } }): ChatRequest {
  const members = texts.map((text, i) => ({ id: `id-${i + 1}`, message: { role: 'user' as const, content: [{ type: 'text' as const, text }] } }));
  return buildPackedRequest({ prefix: [system], members, shape: describePackAnswer(params), params: { ...base, ...params }, maxTokens: 4000 });
}

function ids(text: string): string[] {
  return (JSON.parse(text) as { items: Array<{ id: string }> }).items.map((entry) => entry.id);
}

describe('mock answers to packed requests', () => {
  it('answers every listed id, each entry valid against the item schema, deterministically', () => {
    const request = packed(['A steel kettle', 'A rake', 'A yo-yo']);
    const { text } = mockAnswer(request);
    expect(ids(text)).toEqual(['id-1', 'id-2', 'id-3']);
    const validate = compileOutputSchema(CATEGORY);
    for (const { id: _id, ...fields } of JSON.parse(text).items) {
      expect(validate(fields)).toBe(true);
      expect(['Kitchen', 'Garden', 'Toys']).toContain(fields.category);
    }
    expect(mockAnswer(request).text).toBe(text);
  });

  it('answers free text under "answer"', () => {
    const { text } = mockAnswer(packed(['A steel kettle', 'A rake'], {}));
    const entries = JSON.parse(text).items;
    expect(entries.map((e: { answer: unknown }) => typeof e.answer)).toEqual(['string', 'string']);
  });

  it('leaves out [[pack:drop]] items, refuses [[invalid-output]] ones, and breaks the whole answer on [[pack:malformed]]', () => {
    expect(ids(mockAnswer(packed(['one', 'two [[pack:drop]]', 'three'])).text)).toEqual(['id-1', 'id-3']);
    const refused = JSON.parse(mockAnswer(packed(['one', 'two [[invalid-output]]'])).text).items[1];
    expect(refused).toEqual({ id: 'id-2', refusal: expect.any(String) });
    const broken = mockAnswer(packed(['one', 'two [[pack:malformed]]']));
    const members = [{ id: 'id-1', weight: 1 }, { id: 'id-2', weight: 1 }];
    const split = splitPackedAnswer({
      completion: { text: broken.text, finishReason: 'stop', truncated: false, model: 'm', usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 } },
      members,
      shape: describePackAnswer({ schema: { name: 'answer', schema: CATEGORY } }),
      costUsd: 0,
      attempts: 1,
      latencyMs: 0,
      cached: false,
      mode: 'realtime',
      ts: '',
    });
    expect(split.ok).toBe(false);
  });

  it('pack markers do nothing to a request that is not packed', () => {
    const single: ChatRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: 'A rake [[pack:malformed]] [[pack:drop]]' }] }], params: { ...base, schema: { name: 'answer', schema: CATEGORY } } };
    expect(compileOutputSchema(CATEGORY)(JSON.parse(mockAnswer(single).text))).toBe(true);
  });
});

describe('[[invalid-output]] on a single request', () => {
  const single = (params: Partial<RequestParams>): ChatRequest => ({
    messages: [{ role: 'user', content: [{ type: 'text', text: 'A rake [[invalid-output]]' }] }],
    params: { ...base, ...params },
  });

  it('answers JSON without the schema\'s fields when a schema is asked for', () => {
    const { text } = mockAnswer(single({ schema: { name: 'answer', schema: CATEGORY } }));
    expect(compileOutputSchema(CATEGORY)(JSON.parse(text))).toBe(false);
  });

  it('answers prose when only JSON is asked for, and is ignored otherwise', () => {
    expect(() => JSON.parse(mockAnswer(single({ jsonOutput: true })).text)).toThrow();
    expect(mockAnswer(single({})).text).not.toContain('cannot answer');
  });
});

describe('recent requests', () => {
  it('is a ring: only the last `capacity` are kept, oldest first', () => {
    const recent = new RecentRequests(3);
    for (let i = 1; i <= 5; i++) recent.add('/v1/messages', { 'x-api-key': 'k', 'anthropic-version': 'v' }, `{"n":${i}}`);
    expect(recent.list().map((r) => r.body)).toEqual([{ n: 3 }, { n: 4 }, { n: 5 }]);
    expect(recent.list()[0].headers).toEqual({ 'anthropic-version': 'v' });
  });

  it('keeps the last chat bodies, oldest first, without credentials, and forgets them on reset', async () => {
    const server = await startMockServer();
    try {
      for (const text of ['first', 'second']) {
        await fetch(`${server.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: 'Bearer sk-secret', 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] }),
        });
      }
      const recorded = server.requests();
      expect(recorded.map((r) => (r.body as { messages: Array<{ content: string }> }).messages[0].content)).toEqual(['first', 'second']);
      expect(recorded[0].path).toBe('/v1/chat/completions');
      expect(recorded[0].headers.authorization).toBeUndefined();
      expect(JSON.stringify(recorded)).not.toContain('sk-secret');
      const viaAdmin = await (await fetch(`${server.url}/__mock/requests`)).json();
      expect(viaAdmin).toHaveLength(2);
      server.resetStats();
      expect(server.requests()).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
