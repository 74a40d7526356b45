import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { mockAnswer } from '../../src/mock/answer.js';
import { startMockServer, type MockServer } from '../../src/mock/server.js';
import { chatOpenai, OPENAI_HEADERS, openaiBody, post } from './mock-client.js';

const server: MockServer = await startMockServer({ apiKey: 'test-key' });
afterAll(() => server.close());
beforeEach(() => server.resetStats());

describe('OpenAI POST /v1/chat/completions', () => {
  it('answers in the exact chat.completion shape', async () => {
    const res = await chatOpenai(server, 'Classify into one of: Electronics, Books, Toys. Item: a USB cable');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-request-id']).toMatch(/^req_/);
    const body = res.json;
    expect(Object.keys(body).sort()).toEqual(['choices', 'created', 'id', 'model', 'object', 'service_tier', 'system_fingerprint', 'usage']);
    expect(body.id).toMatch(/^chatcmpl-/);
    expect(body.object).toBe('chat.completion');
    expect(body.created).toBeCloseTo(Date.now() / 1000, -1);
    expect(body.model).toBe('gpt-4o-mini');
    expect(body.system_fingerprint).toMatch(/^fp_/);
    expect(body.choices).toHaveLength(1);
    const [choice] = body.choices;
    expect(choice.index).toBe(0);
    expect(choice.logprobs).toBeNull();
    expect(choice.finish_reason).toBe('stop');
    expect(choice.message).toMatchObject({ role: 'assistant', refusal: null });
    expect(['Electronics', 'Books', 'Toys']).toContain(choice.message.content);
    const expected = mockAnswer({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Classify into one of: Electronics, Books, Toys. Item: a USB cable' }] }],
      params: { model: 'gpt-4o-mini', extra: {} },
    });
    expect(choice.message.content).toBe(expected.text);
    expect(body.usage).toEqual({
      prompt_tokens: expected.usage.inputTokens,
      completion_tokens: expected.usage.outputTokens,
      total_tokens: expected.usage.inputTokens + expected.usage.outputTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    });
  });

  it('accepts content parts, images and a system/developer message', async () => {
    const res = await post(
      `${server.url}/v1/chat/completions`,
      openaiBody('', {
        messages: [
          { role: 'developer', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'What is shown?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
        ],
      }),
      OPENAI_HEADERS,
    );
    expect(res.status).toBe(200);
    expect(res.json.usage.prompt_tokens).toBe(mockAnswer({
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', content: [{ type: 'text', text: 'What is shown?' }, { type: 'image', url: 'https://elsewhere/x.png' }] },
      ],
      params: { model: 'x', extra: {} },
    }).usage.inputTokens);
  });

  it('answers json_schema requests with JSON that satisfies the schema', async () => {
    const schema = {
      type: 'object',
      properties: { sentiment: { type: 'string', enum: ['positive', 'negative'] }, score: { type: 'number', minimum: 0, maximum: 1 } },
      required: ['sentiment', 'score'],
      additionalProperties: false,
    };
    const res = await chatOpenai(server, 'Rate: great blender', { response_format: { type: 'json_schema', json_schema: { name: 'rating', strict: true, schema } } });
    expect(res.status).toBe(200);
    expect(new Ajv().validate(schema, JSON.parse(res.json.choices[0].message.content))).toBe(true);
  });

  it('json_object mode requires the word json in the messages, like OpenAI', async () => {
    const bad = await chatOpenai(server, 'Describe the lamp', { response_format: { type: 'json_object' } });
    expect(bad.status).toBe(400);
    const good = await chatOpenai(server, 'Describe the lamp as json', { response_format: { type: 'json_object' } });
    expect(JSON.parse(good.json.choices[0].message.content)).toHaveProperty('answer');
  });

  it('stops at max_tokens with finish_reason length', async () => {
    const res = await chatOpenai(server, 'Summarize: a long story about a kettle', { max_tokens: 2 });
    expect(res.json.choices[0].finish_reason).toBe('length');
    expect(res.json.usage.completion_tokens).toBe(2);
    expect(res.json.choices[0].message.content).toHaveLength(8);
  });

  it('401 invalid_api_key for a wrong key, 401 for a missing one', async () => {
    const wrong = await post(`${server.url}/v1/chat/completions`, openaiBody('hi'), { ...OPENAI_HEADERS, authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual({ error: { message: expect.stringContaining('Incorrect API key'), type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    expect(wrong.text).not.toContain('nope');
    const missing = await post(`${server.url}/v1/chat/completions`, openaiBody('hi'), { 'content-type': 'application/json' });
    expect(missing.status).toBe(401);
    expect(missing.json.error.message).toContain("didn't provide an API key");
  });

  it.each([
    ['malformed JSON', '{"model": ', /could not parse the JSON body/],
    ['missing messages', { model: 'gpt-4o-mini' }, /Missing required parameter: 'messages'/],
    ['empty messages', { model: 'gpt-4o-mini', messages: [] }, /empty array/],
    ['missing model', { messages: [{ role: 'user', content: 'x' }] }, /must provide a model/],
    ['bad role', { model: 'm', messages: [{ role: 'robot', content: 'x' }] }, /Invalid value: 'robot'/],
    ['temperature out of range', { model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 3 }, /temperature/],
  ])('400 invalid_request_error: %s', async (_name, body, message) => {
    const res = await post(`${server.url}/v1/chat/completions`, body, OPENAI_HEADERS);
    expect(res.status).toBe(400);
    expect(res.json.error.type).toBe('invalid_request_error');
    expect(res.json.error.message).toMatch(message);
    expect(Object.keys(res.json.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  });

  it('quotaExhausted → 429 insufficient_quota', async () => {
    server.configure({ quotaExhausted: true });
    try {
      const res = await chatOpenai(server, 'hi');
      expect(res.status).toBe(429);
      expect(res.json.error).toMatchObject({ type: 'insufficient_quota', code: 'insufficient_quota' });
      expect(res.headers['retry-after']).toBeUndefined();
    } finally {
      server.configure({ quotaExhausted: null });
    }
  });

  it('unknown paths → 404 in OpenAI shape', async () => {
    const res = await post(`${server.url}/v1/embeddings`, {}, OPENAI_HEADERS);
    expect(res.status).toBe(404);
    expect(res.json.error).toMatchObject({ type: 'invalid_request_error', message: 'Invalid URL (POST /v1/embeddings)' });
  });
});
