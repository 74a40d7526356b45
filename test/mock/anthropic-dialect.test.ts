import { Ajv } from 'ajv';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { CREDIT_BALANCE_MESSAGE } from '../../src/mock/anthropic-dialect.js';
import { mockAnswer } from '../../src/mock/answer.js';
import { startMockServer, type MockServer } from '../../src/mock/server.js';
import { ANTHROPIC_HEADERS, anthropicBody, chatAnthropic, post } from './mock-client.js';

const server: MockServer = await startMockServer();
afterAll(() => server.close());
beforeEach(() => server.resetStats());

const messagesUrl = () => `${server.url}/v1/messages`;

describe('Anthropic POST /v1/messages', () => {
  it('answers in the exact message shape', async () => {
    const res = await chatAnthropic(server, 'Summarize: a cast iron pan', { system: 'Be brief.' });
    expect(res.status).toBe(200);
    expect(res.headers['request-id']).toMatch(/^req_/);
    const body = res.json;
    expect(Object.keys(body).sort()).toEqual(['content', 'id', 'model', 'role', 'stop_reason', 'stop_sequence', 'type', 'usage']);
    expect(body.id).toMatch(/^msg_/);
    expect(body).toMatchObject({ type: 'message', role: 'assistant', model: 'claude-haiku-4-5', stop_reason: 'end_turn', stop_sequence: null });
    const expected = mockAnswer({
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Summarize: a cast iron pan' }] },
      ],
      params: { model: 'claude-haiku-4-5', extra: {} },
    });
    expect(body.content).toEqual([{ type: 'text', text: expected.text }]);
    expect(body.usage).toEqual({
      input_tokens: expected.usage.inputTokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      output_tokens: expected.usage.outputTokens,
      service_tier: 'standard',
    });
  });

  it('gives the same answer as OpenAI for the same messages (system as blocks or a string)', async () => {
    const a = await chatAnthropic(server, 'Describe the lamp', { system: [{ type: 'text', text: 'Be' }, { type: 'text', text: 'brief.' }] });
    const b = await post(
      `${server.url}/v1/chat/completions`,
      { model: 'x', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Describe the lamp' }] },
      { authorization: 'Bearer k' },
    );
    expect(a.json.content[0].text).toBe(b.json.choices[0].message.content);
  });

  it('accepts image blocks (base64 and url)', async () => {
    const res = await post(
      messagesUrl(),
      anthropicBody('', {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
              { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
              { type: 'text', text: 'What is this?' },
            ],
          },
        ],
      }),
      ANTHROPIC_HEADERS,
    );
    expect(res.status).toBe(200);
    expect(res.json.usage.input_tokens).toBe(4 + 2 * 85);
  });

  it('a forced tool answers with a tool_use block whose input satisfies input_schema', async () => {
    const input_schema = {
      type: 'object',
      properties: { category: { type: 'string', enum: ['a', 'b'] }, tags: { type: 'array', items: { type: 'string' } } },
      required: ['category', 'tags'],
    };
    const res = await chatAnthropic(server, 'Classify it', {
      tools: [{ name: 'emit', description: 'Emit the answer', input_schema }],
      tool_choice: { type: 'tool', name: 'emit' },
    });
    expect(res.status).toBe(200);
    expect(res.json.stop_reason).toBe('tool_use');
    expect(res.json.content).toHaveLength(1);
    const [block] = res.json.content;
    expect(block).toMatchObject({ type: 'tool_use', name: 'emit' });
    expect(block.id).toMatch(/^toolu_/);
    expect(new Ajv().validate(input_schema, block.input)).toBe(true);
    const expected = mockAnswer({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Classify it' }] }],
      params: { model: 'm', extra: {}, schema: { name: 'emit', schema: input_schema } },
    });
    expect(JSON.stringify(block.input)).toBe(expected.text);
  });

  it('output_config.format json_schema answers JSON text', async () => {
    const schema = { type: 'object', properties: { n: { type: 'integer', minimum: 1, maximum: 3 } }, required: ['n'] };
    const res = await chatAnthropic(server, 'Pick a number', { output_config: { format: { type: 'json_schema', schema } } });
    expect(new Ajv().validate(schema, JSON.parse(res.json.content[0].text))).toBe(true);
  });

  it('stops at max_tokens with stop_reason max_tokens', async () => {
    const res = await chatAnthropic(server, 'Summarize: a long story about a kettle', { max_tokens: 1 });
    expect(res.json.stop_reason).toBe('max_tokens');
    expect(res.json.usage.output_tokens).toBe(1);
  });

  it('simulates prompt caching: first request writes the prefix, later ones read it', async () => {
    const system = [{ type: 'text', text: 'You are a careful classifier. '.repeat(40), cache_control: { type: 'ephemeral' } }];
    const prefixTokens = Math.ceil(system[0].text.length / 4);
    const first = await chatAnthropic(server, 'Item 1: kettle', { system });
    const second = await chatAnthropic(server, 'Item 2: toaster', { system });
    const total = (u: Record<string, number>) => u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens;
    expect(first.json.usage).toMatchObject({ cache_creation_input_tokens: prefixTokens, cache_read_input_tokens: 0 });
    expect(second.json.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: prefixTokens });
    expect(second.json.usage.cache_creation.ephemeral_5m_input_tokens).toBe(0);
    // input_tokens excludes both cache tiers, exactly like Anthropic: the three add up to the prompt.
    const expected = mockAnswer({
      messages: [
        { role: 'system', content: [{ type: 'text', text: system[0].text }] },
        { role: 'user', content: [{ type: 'text', text: 'Item 2: toaster' }] },
      ],
      params: { model: 'm', extra: {} },
    });
    expect(total(second.json.usage)).toBe(expected.usage.inputTokens);
    expect(server.stats().tokens).toMatchObject({ cacheWrite: prefixTokens, cacheRead: prefixTokens });
  });

  it('a cache miss on a different model or a changed prefix writes again', async () => {
    const system = [{ type: 'text', text: 'Shared instructions. '.repeat(30), cache_control: { type: 'ephemeral' } }];
    await chatAnthropic(server, 'a', { system });
    const otherModel = await chatAnthropic(server, 'a', { system, model: 'claude-sonnet-4-5' });
    expect(otherModel.json.usage.cache_read_input_tokens).toBe(0);
    const changed = await chatAnthropic(server, 'a', { system: [{ ...system[0], text: `${system[0].text}!` }] });
    expect(changed.json.usage.cache_read_input_tokens).toBe(0);
    expect(changed.json.usage.cache_creation_input_tokens).toBeGreaterThan(0);
  });

  it('401 authentication_error for a missing or (with apiKey set) wrong x-api-key', async () => {
    const missing = await post(messagesUrl(), anthropicBody('hi'), { 'anthropic-version': '2023-06-01' });
    expect(missing.status).toBe(401);
    expect(missing.json).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    server.configure({ apiKey: 'right' });
    try {
      const wrong = await chatAnthropic(server, 'hi');
      expect(wrong.status).toBe(401);
      expect(wrong.json.error).toEqual({ type: 'authentication_error', message: 'invalid x-api-key' });
      expect(wrong.json.request_id).toBe(wrong.headers['request-id']);
    } finally {
      server.configure({ apiKey: null });
    }
  });

  it.each([
    ['missing anthropic-version', anthropicBody('hi'), { 'x-api-key': 'k' }, 'anthropic-version: header is required'],
    ['missing max_tokens', { model: 'm', messages: [{ role: 'user', content: 'hi' }] }, ANTHROPIC_HEADERS, 'max_tokens: Field required'],
    ['system role inside messages', anthropicBody('', { messages: [{ role: 'system', content: 'x' }] }), ANTHROPIC_HEADERS, "messages.0.role: Input should be 'user' or 'assistant'"],
    ['malformed JSON', '{', ANTHROPIC_HEADERS, 'There was an error parsing the body of your request: invalid JSON'],
    ['unknown forced tool', anthropicBody('hi', { tools: [], tool_choice: { type: 'tool', name: 'x' } }), ANTHROPIC_HEADERS, "tool_choice.name: Tool 'x' not found in tools"],
  ])('400 invalid_request_error: %s', async (_name, body, headers, message) => {
    const res = await post(messagesUrl(), body, headers);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message } });
  });

  it('quotaExhausted → 400 credit balance; overloaded → 529 overloaded_error', async () => {
    server.configure({ quotaExhausted: true });
    const quota = await chatAnthropic(server, 'hi');
    expect(quota.status).toBe(400);
    expect(quota.json.error).toEqual({ type: 'invalid_request_error', message: CREDIT_BALANCE_MESSAGE });
    server.configure({ quotaExhausted: false, overloaded: true });
    const overloaded = await chatAnthropic(server, 'hi');
    expect(overloaded.status).toBe(529);
    expect(overloaded.json.error).toEqual({ type: 'overloaded_error', message: 'Overloaded' });
    server.configure({ overloaded: false });
  });

  it('unknown paths → 404 in Anthropic shape', async () => {
    const res = await post(`${server.url}/v1/complete`, {}, ANTHROPIC_HEADERS);
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });
});
