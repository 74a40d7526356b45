import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, MalformedResponseError } from '../../src/http/errors.js';
import { InvalidOutputError } from '../../src/providers/invalid-output-error.js';
import { validateOutput } from '../../src/providers/validate-output.js';
import { anthropicWire } from '../../src/providers/anthropic-wire.js';
import { createHttpProvider } from '../../src/providers/http-provider.js';
import { openaiWire } from '../../src/providers/openai-wire.js';
import type { ChatRequest, Provider } from '../../src/providers/types.js';
import { loadFixture } from './load-fixture.js';

const OPENAI_KEY = 'sk-proj-TESTKEY0123456789abcdef';
const ANTHROPIC_KEY = 'sk-ant-api03-TESTKEY0123456789';

let agent: MockAgent;
let provider: Provider | undefined;

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});

afterEach(async () => {
  await provider?.close();
  provider = undefined;
  await agent.close();
});

function request(extra: Partial<ChatRequest['params']> = {}): ChatRequest {
  return {
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Classify: great' }] }],
    params: { model: 'gpt-4o-mini', extra: {}, ...extra },
  };
}

const signal = new AbortController().signal;

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('createHttpProvider (OpenAI wire)', () => {
  function openai(): Provider {
    provider = createHttpProvider({ wire: openaiWire, baseUrl: 'https://api.openai.com/v1', apiKey: OPENAI_KEY, connections: 2, timeoutMs: 5000, dispatcher: agent });
    return provider;
  }

  it('posts the built body to {base}/chat/completions and returns completion, headers, status', async () => {
    let sent: { body: unknown; auth: unknown } | undefined;
    agent
      .get('https://api.openai.com')
      .intercept({ path: '/v1/chat/completions', method: 'POST' })
      .reply((options) => {
        const headers = options.headers as Record<string, string>;
        sent = { body: JSON.parse(String(options.body)), auth: headers.authorization };
        return { statusCode: 200, data: loadFixture('provider-openai-chat-response.json'), responseOptions: { headers: { 'x-ratelimit-remaining-requests': '499' } } };
      });
    const response = await openai().complete(request(), signal);
    expect(sent).toEqual({ body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Classify: great' }] }, auth: `Bearer ${OPENAI_KEY}` });
    expect(response.status).toBe(200);
    expect(response.headers['x-ratelimit-remaining-requests']).toBe('499');
    expect(response.completion).toMatchObject({ text: 'positive', usage: { inputTokens: 2006, cachedInputTokens: 1920 } });
    expect(provider).toMatchObject({ id: 'openai', baseUrl: 'https://api.openai.com/v1' });
  });

  it('returns a structured answer unjudged (the engine validates it once for every provider)', async () => {
    agent
      .get('https://api.openai.com')
      .intercept({ path: '/v1/chat/completions', method: 'POST' })
      .reply(200, { model: 'gpt-4o-mini', choices: [{ message: { content: '{"label":"great!"}' }, finish_reason: 'stop' }], usage: { prompt_tokens: 9, completion_tokens: 4 } });
    const schema = { name: 's', schema: { type: 'object', properties: { label: { enum: ['positive', 'negative'] } }, required: ['label'] } };
    const response = await openai().complete(request({ schema }), signal);
    expect(response.completion).toMatchObject({ text: '{"label":"great!"}', usage: { inputTokens: 9 } });
    const check = validateOutput(response.completion, { schema });
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.error).toBeInstanceOf(InvalidOutputError);
      expect(check.error.completion.usage.inputTokens).toBe(9);
    }
  });

  it('fills in the requested model when a compatible server omits it', async () => {
    agent
      .get('https://api.openai.com')
      .intercept({ path: '/v1/chat/completions', method: 'POST' })
      .reply(200, { choices: [{ message: { content: 'hi' }, finish_reason: 'stop' }] });
    expect((await openai().complete(request(), signal)).completion.model).toBe('gpt-4o-mini');
  });

  it('rejects an API error without the key anywhere in it', async () => {
    agent
      .get('https://api.openai.com')
      .intercept({ path: '/v1/chat/completions', method: 'POST' })
      .reply(401, { error: { message: `Incorrect API key provided: ${OPENAI_KEY}.`, type: 'invalid_request_error', code: 'invalid_api_key' } });
    const error = await rejection(openai().complete(request(), signal));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(JSON.stringify({ message: error.message, body: (error as ApiError).body, stack: error.stack })).not.toContain(OPENAI_KEY);
  });

  it('rejects a 200 without choices as malformed', async () => {
    agent.get('https://api.openai.com').intercept({ path: '/v1/chat/completions', method: 'POST' }).reply(200, { id: 'x' });
    expect(await rejection(openai().complete(request(), signal))).toBeInstanceOf(MalformedResponseError);
  });
});

describe('createHttpProvider (Anthropic wire)', () => {
  it('posts to {base}/v1/messages with Anthropic headers and parses a forced tool answer', async () => {
    let sent: { body: Record<string, unknown>; headers: Record<string, string> } | undefined;
    agent
      .get('https://api.anthropic.com')
      .intercept({ path: '/v1/messages', method: 'POST' })
      .reply((options) => {
        sent = { body: JSON.parse(String(options.body)) as Record<string, unknown>, headers: options.headers as Record<string, string> };
        return { statusCode: 200, data: loadFixture('provider-anthropic-tool-use-response.json') };
      });
    provider = createHttpProvider({ wire: anthropicWire, baseUrl: 'https://api.anthropic.com', apiKey: ANTHROPIC_KEY, connections: 2, timeoutMs: 5000, dispatcher: agent });
    const schema = {
      name: 'sentiment',
      schema: { type: 'object', properties: { label: { type: 'string' }, confidence: { type: 'number' } }, required: ['label'] },
    };
    const response = await provider.complete(request({ model: 'claude-sonnet-4-5', schema }), signal);
    expect(sent?.headers['x-api-key']).toBe(ANTHROPIC_KEY);
    expect(sent?.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent?.body).toMatchObject({ model: 'claude-sonnet-4-5', max_tokens: 1024, tool_choice: { type: 'tool', name: 'sentiment' } });
    expect(response.completion).toMatchObject({ text: '{"label":"positive","confidence":0.92}', usage: { inputTokens: 1912, cacheWriteTokens: 1500 } });
  });

  it('a truncated structured answer fails validation as truncated', async () => {
    agent.get('https://api.anthropic.com').intercept({ path: '/v1/messages', method: 'POST' }).reply(200, loadFixture<object>('provider-anthropic-max-tokens-response.json'));
    provider = createHttpProvider({ wire: anthropicWire, baseUrl: 'https://api.anthropic.com', apiKey: ANTHROPIC_KEY, connections: 2, timeoutMs: 5000, dispatcher: agent });
    const response = await provider.complete(request({ model: 'claude-sonnet-4-5', jsonOutput: true }), signal);
    const check = validateOutput(response.completion, { jsonOutput: true });
    expect(check.ok || !(check.error instanceof InvalidOutputError) ? undefined : check.error.reason).toBe('truncated');
  });

  it('returns a truncated plain-text answer as-is (finish reason tells the story)', async () => {
    agent.get('https://api.anthropic.com').intercept({ path: '/v1/messages', method: 'POST' }).reply(200, loadFixture<object>('provider-anthropic-max-tokens-response.json'));
    provider = createHttpProvider({ wire: anthropicWire, baseUrl: 'https://api.anthropic.com', apiKey: ANTHROPIC_KEY, connections: 2, timeoutMs: 5000, dispatcher: agent });
    const response = await provider.complete(request({ model: 'claude-sonnet-4-5' }), signal);
    expect(response.completion).toMatchObject({ truncated: true, finishReason: 'max_tokens' });
  });
});
