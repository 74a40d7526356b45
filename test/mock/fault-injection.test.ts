import { Agent, request } from 'undici';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { GARBAGE_BODY } from '../../src/mock/fault-injection.js';
import type { FaultKind } from '../../src/mock/options.js';
import { startMockServer, type MockServer } from '../../src/mock/server.js';
import { ANTHROPIC_HEADERS, anthropicBody, OPENAI_HEADERS, openaiBody, post } from './mock-client.js';

const server: MockServer = await startMockServer();
const agent = new Agent({ headersTimeout: 300, bodyTimeout: 300 });
afterAll(async () => {
  await agent.close();
  await server.close();
});
beforeEach(() => {
  server.resetStats();
  server.configure({ failRate: null, faultMix: null, failFirstAttempts: null });
});

function only(kind: FaultKind): void {
  server.configure({ failRate: 1, faultMix: [kind] });
}

function rawOpenai(prompt = 'hello') {
  return request(`${server.url}/v1/chat/completions`, { method: 'POST', headers: OPENAI_HEADERS, body: JSON.stringify(openaiBody(prompt)), dispatcher: agent });
}

describe('random faults (failRate + faultMix), seen by a raw undici client', () => {
  it.each([
    ['500', 500, 'server_error'],
    ['503', 503, 'server_error'],
    ['529', 529, 'server_error'],
  ] as const)('%s → status %d in the provider shape', async (kind, status, type) => {
    only(kind);
    const res = await post(`${server.url}/v1/chat/completions`, openaiBody('x'), OPENAI_HEADERS);
    expect(res.status).toBe(status);
    expect(res.json.error.type).toBe(type);
    expect(server.stats().faults).toEqual({ [kind]: 1 });
  });

  it('429 → rate_limit_exceeded with retry-after and retry-after-ms (OpenAI), retry-after only (Anthropic)', async () => {
    only('429');
    const openai = await post(`${server.url}/v1/chat/completions`, openaiBody('x'), OPENAI_HEADERS);
    expect(openai.status).toBe(429);
    expect(openai.json.error.code).toBe('rate_limit_exceeded');
    expect(openai.headers['retry-after']).toBe('1');
    expect(openai.headers['retry-after-ms']).toBe('300');
    const anthropic = await post(`${server.url}/v1/messages`, anthropicBody('x'), ANTHROPIC_HEADERS);
    expect(anthropic.status).toBe(429);
    expect(anthropic.json.error.type).toBe('rate_limit_error');
    expect(anthropic.headers['retry-after']).toBe('1');
    expect(anthropic.headers['retry-after-ms']).toBeUndefined();
  });

  it('502 → an HTML page from the "CDN", not JSON', async () => {
    only('502');
    const res = await post(`${server.url}/v1/messages`, anthropicBody('x'), ANTHROPIC_HEADERS);
    expect(res.status).toBe(502);
    expect(res.headers['content-type']).toBe('text/html');
    expect(res.json).toBeUndefined();
  });

  it('reset → the socket is destroyed without a response', async () => {
    only('reset');
    const error = await rawOpenai().then(
      () => undefined,
      (e: { code?: string }) => e,
    );
    expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(error?.code);
    await vi.waitFor(() => expect(server.stats().byStatus).toEqual({ reset: 1 }));
  });

  it('garbage → 200 whose body is not JSON', async () => {
    only('garbage');
    const res = await rawOpenai();
    expect(res.statusCode).toBe(200);
    const text = await res.body.text();
    expect(text).toBe(GARBAGE_BODY);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it('truncated → 200 with the full content-length but half a body, then the connection closes', async () => {
    only('truncated');
    const res = await rawOpenai();
    expect(res.statusCode).toBe(200);
    const announced = Number(res.headers['content-length']);
    expect(announced).toBeGreaterThan(100);
    await expect(res.body.json()).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
    expect(server.stats().successesByPrompt).toEqual({});
  });

  it('hang → no answer until the client gives up (headers timeout)', async () => {
    only('hang');
    await expect(rawOpenai()).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
    await vi.waitFor(() => expect(server.stats()).toMatchObject({ inFlight: 0, byStatus: { hang: 1 } }));
  });

  it('a seed makes the fault sequence reproducible', async () => {
    const sequence = async () => {
      server.configure({ failRate: 0.5, faultMix: ['500', '503'], seed: 7 });
      server.resetStats();
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await post(`${server.url}/v1/chat/completions`, openaiBody(`p${i}`), OPENAI_HEADERS)).status);
      return statuses;
    };
    const first = await sequence();
    expect(new Set(first).size).toBeGreaterThan(1);
    expect(await sequence()).toEqual(first);
    server.configure({ seed: null });
  });
});

describe('deterministic faults', () => {
  it.each([
    ['[[fault:400]]', 400, 'invalid_request_error'],
    ['[[fault:401]]', 401, 'invalid_request_error'],
    ['[[fault:500]]', 500, 'server_error'],
  ])('%s always fails with %d', async (marker, status, type) => {
    for (let i = 0; i < 3; i++) {
      const res = await post(`${server.url}/v1/chat/completions`, openaiBody(`Summarize ${marker}`), OPENAI_HEADERS);
      expect(res.status).toBe(status);
      expect(res.json.error.type).toBe(type);
    }
  });

  it('[[fault:hang]] never answers', async () => {
    await expect(rawOpenai('x [[fault:hang]]')).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
  });

  it('[[flaky:3]] fails the first 3 attempts (500, 429, 500), then succeeds', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(`${server.url}/v1/messages`, anthropicBody('flaky item [[flaky:3]]'), ANTHROPIC_HEADERS)).status);
    expect(statuses).toEqual([500, 429, 500, 200, 200]);
    const stats = server.stats();
    expect(stats.requestCountsByPrompt['flaky item [[flaky:3]]']).toBe(5);
    expect(stats.successesByPrompt['flaky item [[flaky:3]]']).toBe(2);
  });

  it('failFirstAttempts fails every distinct request N times', async () => {
    server.configure({ failFirstAttempts: 1 });
    const attempt = (p: string) => post(`${server.url}/v1/chat/completions`, openaiBody(p), OPENAI_HEADERS).then((r) => r.status);
    expect([await attempt('a'), await attempt('a'), await attempt('b'), await attempt('b')]).toEqual([500, 200, 500, 200]);
  });
});
