/**
 * The mock server answers in the providers' own shapes: every field of the official examples
 * (test/fixtures/official/) is present in the mock's answer, for answers and refusals alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../../src/mock/server.js';
import { TEST_KEY, startServer } from '../helpers/e2e.js';
import { foldAnthropicStream, officialJson } from '../helpers/official-fixtures.js';

let server: MockServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

/** Every key path of a JSON value (`choices[].message.refusal`), arrays by their first element. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length === 0 ? [] : keyPaths(value[0], `${prefix}[]`);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return [path, ...keyPaths(child, path)];
  });
}

async function post(path: string, headers: Record<string, string>, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

const openai = (text: string) =>
  post('/v1/chat/completions', { authorization: `Bearer ${TEST_KEY}` }, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] });
const anthropic = (text: string) =>
  post('/v1/messages', { 'x-api-key': TEST_KEY, 'anthropic-version': '2023-06-01' }, { model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user', content: text }] });

describe('mock server shapes', () => {
  it('OpenAI: every field of the OpenAPI Default example', async () => {
    const official = keyPaths(officialJson('openai-chat-default.json'));
    expect(keyPaths(await openai('Hello'))).toEqual(expect.arrayContaining(official));
  });

  it('OpenAI: a refusal as in the official refusal message (content null, refusal text)', async () => {
    const answer = (await openai('Hello [[refuse]]')) as { choices: Array<{ message: Record<string, unknown> }> };
    const official = officialJson<{ choices: Array<{ message: Record<string, unknown> }> }>('openai-chat-refusal.json');
    expect(Object.keys(answer.choices[0].message)).toEqual(expect.arrayContaining(Object.keys(official.choices[0].message)));
    expect(answer.choices[0].message).toMatchObject({ content: null, refusal: expect.any(String) });
  });

  it('Anthropic: every field of the SDK’s basic response', async () => {
    const official = keyPaths(foldAnthropicStream('anthropic-basic_response.sse'));
    expect(keyPaths(await anthropic('Hello'))).toEqual(expect.arrayContaining(official));
  });

  it('Anthropic: a refusal as stop_reason refusal with the model’s text', async () => {
    expect(await anthropic('Hello [[refuse]]')).toMatchObject({ stop_reason: 'refusal', content: [{ type: 'text', text: expect.any(String) }] });
  });
});
