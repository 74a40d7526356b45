import { request } from 'undici';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startMockServer, type MockServer } from '../../src/mock/server.js';
import { chatAnthropic, chatOpenai, OPENAI_HEADERS, openaiBody } from './mock-client.js';

const server: MockServer = await startMockServer();
afterAll(() => server.close());
beforeEach(() => {
  server.configure({ rpm: null, tpm: null, inputTpm: null, outputTpm: null, latencyMs: null });
  server.resetStats();
});

describe('rate limits', () => {
  it('OpenAI: rpm limit → 429 with retry-after, retry-after-ms and x-ratelimit-* headers', async () => {
    server.configure({ rpm: 3, tpm: 100_000 });
    const ok = await chatOpenai(server, 'one');
    expect(ok.status).toBe(200);
    expect(ok.headers['x-ratelimit-limit-requests']).toBe('3');
    expect(ok.headers['x-ratelimit-remaining-requests']).toBe('2');
    expect(ok.headers['x-ratelimit-reset-requests']).toMatch(/^\d+(\.\d+)?s$/);
    expect(ok.headers['x-ratelimit-limit-tokens']).toBe('100000');
    expect(Number(ok.headers['x-ratelimit-remaining-tokens'])).toBeLessThan(100_000);
    expect(ok.headers['x-ratelimit-reset-tokens']).toMatch(/^\d+ms$/);
    await chatOpenai(server, 'two');
    await chatOpenai(server, 'three');
    const limited = await chatOpenai(server, 'four');
    expect(limited.status).toBe(429);
    expect(limited.json.error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded', param: null });
    expect(limited.json.error.message).toMatch(/requests per min \(RPM\): Limit 3/);
    const retryAfterMs = Number(limited.headers['retry-after-ms']);
    expect(retryAfterMs).toBeGreaterThan(19_000);
    expect(retryAfterMs).toBeLessThanOrEqual(20_000);
    expect(limited.headers['retry-after']).toBe('20');
    expect(limited.headers['x-ratelimit-remaining-requests']).toBe('0');
    expect(server.stats()).toMatchObject({ rateLimited: 1, byStatus: { '200': 3, '429': 1 } });
  });

  it('Anthropic: tpm limit → 429 rate_limit_error with anthropic-ratelimit-* headers (reset as RFC 3339)', async () => {
    server.configure({ rpm: 1000, inputTpm: 20, outputTpm: 1000 });
    const ok = await chatAnthropic(server, 'a prompt of about ten tokens in length');
    expect(ok.status).toBe(200);
    expect(ok.headers['anthropic-ratelimit-requests-limit']).toBe('1000');
    expect(ok.headers['anthropic-ratelimit-requests-remaining']).toBe('999');
    expect(ok.headers['anthropic-ratelimit-input-tokens-limit']).toBe('20');
    expect(ok.headers['anthropic-ratelimit-output-tokens-limit']).toBe('1000');
    expect(ok.headers['anthropic-ratelimit-input-tokens-reset']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(ok.headers['anthropic-ratelimit-tokens-limit']).toBeUndefined();
    const limited = await chatAnthropic(server, 'a prompt of about ten tokens in length, again and again');
    expect(limited.status).toBe(429);
    expect(limited.json.error.type).toBe('rate_limit_error');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.headers['retry-after-ms']).toBeUndefined();
    expect(limited.headers['anthropic-ratelimit-input-tokens-remaining']).toBe('0');
  });

  it('without limits configured, no rate-limit headers are sent', async () => {
    const res = await chatOpenai(server, 'x');
    expect(Object.keys(res.headers).filter((h) => h.includes('ratelimit'))).toEqual([]);
  });
});

describe('latency', () => {
  it('delays answers by latencyMs', async () => {
    server.configure({ latencyMs: 120 });
    const started = performance.now();
    await chatOpenai(server, 'slow');
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
  });

  it('draws from {min,max} and counts concurrent requests in maxInFlight', async () => {
    // Long enough that all 8 requests overlap even on a busy CI machine.
    server.configure({ latencyMs: { min: 400, max: 500 } });
    const started = performance.now();
    await Promise.all(Array.from({ length: 8 }, (_, i) => chatOpenai(server, `p${i}`)));
    expect(performance.now() - started).toBeGreaterThanOrEqual(395);
    expect(server.stats()).toMatchObject({ maxInFlight: 8, inFlight: 0 });
  });
});

describe('a client that leaves early', () => {
  it('is recorded as aborted, not as an answered request', async () => {
    server.configure({ latencyMs: 300 });
    const controller = new AbortController();
    const pending = request(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: OPENAI_HEADERS,
      body: JSON.stringify(openaiBody('impatient')),
      signal: controller.signal,
    }).catch(() => 'aborted');
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toBe('aborted');
    await vi.waitFor(() => expect(server.stats()).toMatchObject({ inFlight: 0, byStatus: { aborted: 1 }, successesByPrompt: {}, spendUsd: 0 }), { timeout: 2000 });
  });
});
