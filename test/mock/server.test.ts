import { request } from 'undici';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { mockAnswer } from '../../src/mock/answer.js';
import { startMockServer, type MockServer } from '../../src/mock/server.js';
import { chatAnthropic, chatOpenai, OPENAI_HEADERS, openaiBody, post } from './mock-client.js';

const server: MockServer = await startMockServer({ priceInputPerMTok: 1, priceOutputPerMTok: 2 });
afterAll(() => server.close());
beforeEach(() => server.resetStats());

async function getJson(path: string): Promise<any> {
  const res = await request(`${server.url}${path}`);
  return res.body.json();
}

describe('startMockServer', () => {
  it('listens on 127.0.0.1 with an ephemeral port', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
  });

  it('rejects invalid options before listening', async () => {
    await expect(startMockServer({ failRate: 5 })).rejects.toThrow('Expected `failRate` to be a number from 0 to 1, got `5`');
  });

  it('close() also drops connections that are hanging', async () => {
    const other = await startMockServer();
    const pending = post(`${other.url}/v1/chat/completions`, openaiBody('[[fault:hang]]'), OPENAI_HEADERS).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await other.close();
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe('stats', () => {
  it('counts requests, statuses, paths, prompts, tokens and spend', async () => {
    await chatOpenai(server, 'item one');
    await chatOpenai(server, 'item one');
    await chatAnthropic(server, 'item two');
    await chatOpenai(server, 'boom [[fault:500]]');
    const stats = server.stats();
    expect(stats.requests).toBe(4);
    expect(stats.byStatus).toEqual({ '200': 3, '500': 1 });
    expect(stats.byPath).toEqual({ '/v1/chat/completions': 3, '/v1/messages': 1 });
    expect(stats.requestCountsByPrompt).toEqual({ 'item one': 2, 'item two': 1, 'boom [[fault:500]]': 1 });
    expect(stats.successesByPrompt).toEqual({ 'item one': 2, 'item two': 1 });
    expect(stats.faults).toEqual({ '500': 1 });
    const usage = (p: string) => mockAnswer({ messages: [{ role: 'user', content: [{ type: 'text', text: p }] }], params: { model: 'm', extra: {} } }).usage;
    const input = 2 * usage('item one').inputTokens + usage('item two').inputTokens;
    const output = 2 * usage('item one').outputTokens + usage('item two').outputTokens;
    expect(stats.tokens).toEqual({ input, output, cacheRead: 0, cacheWrite: 0 });
    expect(stats.spendUsd).toBeCloseTo((input * 1 + output * 2) / 1e6, 12);
    expect(stats.inFlight).toBe(0);
    expect(stats.maxInFlight).toBe(1);
    expect(stats.firstRequestAt).toBeLessThanOrEqual(stats.lastRequestAt as number);
    expect(stats.rateLimited).toBe(0);
  });

  it('counts unknown paths and malformed requests, but not admin calls', async () => {
    await post(`${server.url}/v1/nope`, {}, OPENAI_HEADERS);
    await post(`${server.url}/v1/chat/completions`, 'not json', OPENAI_HEADERS);
    await getJson('/__mock/stats');
    expect(server.stats()).toMatchObject({ requests: 2, byStatus: { '404': 1, '400': 1 }, requestCountsByPrompt: {} });
  });

  it('trackPrompts: false keeps the per-prompt maps empty', async () => {
    server.configure({ trackPrompts: false });
    await chatOpenai(server, 'untracked');
    server.configure({ trackPrompts: true });
    expect(server.stats()).toMatchObject({ requests: 1, requestCountsByPrompt: {}, successesByPrompt: {} });
    expect(server.stats().tokens.input).toBeGreaterThan(0);
  });

  it('resetStats() starts from zero', async () => {
    await chatOpenai(server, 'x');
    server.resetStats();
    expect(server.stats()).toMatchObject({ requests: 0, byStatus: {}, firstRequestAt: null, spendUsd: 0 });
  });
});

describe('admin endpoints and runtime configuration', () => {
  it('GET /__mock/stats and POST /__mock/reset', async () => {
    await chatOpenai(server, 'x');
    expect((await getJson('/__mock/stats')).requests).toBe(1);
    await request(`${server.url}/__mock/reset`, { method: 'POST' }).then((r) => r.body.dump());
    expect((await getJson('/__mock/stats')).requests).toBe(0);
  });

  it('POST /__mock/config changes behaviour at runtime and reports the effective options', async () => {
    const set = await post(`${server.url}/__mock/config`, { apiKey: 'secret', latencyMs: 5 }, {});
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ apiKey: 'secret', latencyMs: 5 });
    expect((await chatOpenai(server, 'x')).status).toBe(401);
    await post(`${server.url}/__mock/config`, { apiKey: null, latencyMs: null }, {});
    expect((await chatOpenai(server, 'x')).status).toBe(200);
    expect((await getJson('/__mock/config')).apiKey).toBeUndefined();
  });

  it('POST /__mock/config rejects invalid options with 400 and changes nothing', async () => {
    const bad = await post(`${server.url}/__mock/config`, { failRate: 2 }, {});
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toBe('Expected `failRate` to be a number from 0 to 1, got `2`');
    expect(server.options().failRate).toBe(0);
  });

  it('configure() works in-process, e.g. overloaded', async () => {
    server.configure({ overloaded: true });
    expect((await chatAnthropic(server, 'x')).status).toBe(529);
    server.configure({ overloaded: false });
    expect((await chatAnthropic(server, 'x')).status).toBe(200);
  });
});
