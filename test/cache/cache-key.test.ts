import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { computeCacheKey, type CacheKeyInput } from '../../src/cache/cache-key.js';
import { stringifyCanonical } from '../../src/cache/canonical-json.js';
import type { ChatRequest } from '../../src/providers/types.js';

const baseRequest: ChatRequest = {
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'Classify the review.' }] },
    { role: 'user', content: [{ type: 'text', text: 'Great headphones.' }] },
  ],
  params: {
    model: 'gpt-4o-mini',
    temperature: 0,
    maxTokens: 100,
    extra: { top_p: 0.9, response_options: { a: 1, b: 2 } },
    schema: { name: 'label', schema: { type: 'object', properties: { label: { type: 'string' } }, required: ['label'] } },
    jsonOutput: true,
  },
};
const base: CacheKeyInput = { provider: 'openai', baseUrl: 'https://api.openai.com/v1', request: baseRequest };
const keyOf = (input: CacheKeyInput) => computeCacheKey(input);
const withParams = (params: Partial<ChatRequest['params']>): CacheKeyInput => ({
  ...base,
  request: { ...baseRequest, params: { ...baseRequest.params, ...params } },
});

describe('computeCacheKey', () => {
  it('keeps the key existing caches and result files were written with', () => {
    // Computed by the first implementation (sha256 of stringifyCanonical of the whole input object): a cache
    // key or request hash that changes would miss every cached answer and mark every done item changed.
    expect(keyOf(base)).toBe('718503ab7e75f94fbcc6a4d2ecaf204041b12b8d241de899adc6d5e12ad3838a');
  });

  it('is sha256 of the canonical JSON of the whole input, for requests of every shape', () => {
    const requests: ChatRequest[] = [
      baseRequest,
      { messages: [], params: { model: 'm', extra: {} } },
      { messages: [{ role: 'user', content: [{ type: 'text', text: 'é "quoted" \\ 🚀' }] }], params: { model: 'm', maxTokens: undefined, extra: { z: [1, { b: 2, a: null }], a: true } } },
    ];
    for (const request of requests) {
      for (const provider of ['openai', 'anthropic'] as const) {
        const material = stringifyCanonical({ v: 1, provider, baseUrl: 'http://gw.test/v1', messages: request.messages, params: request.params });
        const expected = createHash('sha256').update(material).digest('hex');
        expect(computeCacheKey({ provider, baseUrl: 'http://gw.test/v1/', request })).toBe(expected);
      }
    }
  });

  it('is a sha256 hex digest, stable across calls', () => {
    expect(keyOf(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(keyOf(base)).toBe(keyOf(structuredClone(base)));
  });

  it('ignores key order at every depth, including extra params and the schema', () => {
    const reordered: CacheKeyInput = {
      request: {
        params: {
          jsonOutput: true,
          schema: { schema: { required: ['label'], properties: { label: { type: 'string' } }, type: 'object' }, name: 'label' },
          extra: { response_options: { b: 2, a: 1 }, top_p: 0.9 },
          maxTokens: 100,
          temperature: 0,
          model: 'gpt-4o-mini',
        },
        messages: baseRequest.messages.map((message) => ({ content: message.content, role: message.role })),
      },
      baseUrl: 'https://api.openai.com/v1',
      provider: 'openai',
    };
    expect(keyOf(reordered)).toBe(keyOf(base));
  });

  it('treats an undefined parameter as absent', () => {
    const { temperature: _dropped, ...params } = baseRequest.params;
    const absent: CacheKeyInput = { ...base, request: { ...baseRequest, params } };
    expect(keyOf(withParams({ temperature: undefined }))).toBe(keyOf(absent));
  });

  it('normalises a trailing slash on the base URL', () => {
    expect(keyOf({ ...base, baseUrl: 'https://api.openai.com/v1/' })).toBe(keyOf(base));
  });

  it.each<[string, CacheKeyInput]>([
    ['provider', { ...base, provider: 'anthropic' }],
    ['base URL', { ...base, baseUrl: 'https://openrouter.ai/api/v1' }],
    ['model', withParams({ model: 'gpt-4o' })],
    ['temperature', withParams({ temperature: 0.2 })],
    ['maxTokens', withParams({ maxTokens: 101 })],
    ['extra param value', withParams({ extra: { top_p: 0.8, response_options: { a: 1, b: 2 } } })],
    ['nested extra param', withParams({ extra: { top_p: 0.9, response_options: { a: 1, b: 3 } } })],
    ['extra param added', withParams({ extra: { ...baseRequest.params.extra, seed: 1 } })],
    ['schema', withParams({ schema: { name: 'label', schema: { type: 'object' } } })],
    ['schema name', withParams({ schema: { ...baseRequest.params.schema!, name: 'other' } })],
    ['no schema', withParams({ schema: undefined })],
    ['jsonOutput', withParams({ jsonOutput: false })],
    ['message text', { ...base, request: { ...baseRequest, messages: [baseRequest.messages[0], { role: 'user', content: [{ type: 'text', text: 'Bad headphones.' }] }] } }],
    ['message role', { ...base, request: { ...baseRequest, messages: [{ ...baseRequest.messages[0], role: 'user' }, baseRequest.messages[1]] } }],
    ['message order', { ...base, request: { ...baseRequest, messages: [...baseRequest.messages].reverse() } }],
    ['an image', { ...base, request: { ...baseRequest, messages: [...baseRequest.messages, { role: 'user', content: [{ type: 'image', url: 'https://x/y.png' }] }] } }],
  ])('changes with the %s', (_name, changed) => {
    expect(keyOf(changed)).not.toBe(keyOf(base));
  });

  it('has no API key input: credentials next to the config do not change the key', () => {
    const providerConfig = { ...base, apiKey: 'sk-test-FAKE-KEY-0123456789', headers: { authorization: 'Bearer sk-x' } };
    expect(computeCacheKey(providerConfig)).toBe(keyOf(base));
  });
});
