import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../src/mock/server.js';

const server: MockServer = await startMockServer({ batchCompletionDelayMs: 0 });
afterAll(() => server.close());
beforeEach(() => {
  server.resetStats();
  server.configure({ batchCompletionDelayMs: 0, batchExpire: false });
});

const HEADERS = { 'x-api-key': 'test-key', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };

function request(customId: string, prompt: string): Record<string, unknown> {
  return { custom_id: customId, params: { model: 'claude-haiku-4-5', max_tokens: 100, messages: [{ role: 'user', content: prompt }] } };
}

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; json: any; text: string; type: string | null }> {
  const res = await fetch(url.startsWith('http') ? url : `${server.url}${url}`, { method, headers: HEADERS, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, type: res.headers.get('content-type') };
}

describe('mock Anthropic Message Batches', () => {
  it('creates a batch, ends it and serves results_url as JSONL', async () => {
    const created = await call('POST', '/v1/messages/batches', { requests: [request('a', 'hello there'), request('b', 'bad one [[fault:400]]')] });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ type: 'message_batch', processing_status: 'in_progress', results_url: null });
    expect(created.json.id).toMatch(/^msgbatch_/);
    expect(server.stats().batchesCreated).toBe(1);

    const ended = await call('GET', `/v1/messages/batches/${created.json.id}`);
    expect(ended.json).toMatchObject({
      processing_status: 'ended',
      request_counts: { processing: 0, succeeded: 1, errored: 1, canceled: 0, expired: 0 },
      results_url: `${server.url}/v1/messages/batches/${created.json.id}/results`,
    });
    const results = await call('GET', ended.json.results_url);
    expect(results.type).toBe('application/x-jsonl');
    const lines = results.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ custom_id: 'a', result: { type: 'succeeded', message: { type: 'message', role: 'assistant' } } });
    expect(lines[1]).toMatchObject({ custom_id: 'b', result: { type: 'errored', error: { type: 'error', error: { type: 'invalid_request_error' } } } });
  });

  it('lists batches newest first in pages, as the real API: limit, has_more, last_id → after_id, before_id', async () => {
    const made: string[] = [];
    for (let i = 0; i < 5; i += 1) made.push((await call('POST', '/v1/messages/batches', { requests: [request('a', `p${i}`)] })).json.id);
    const newest = [...made].reverse();
    const first = await call('GET', '/v1/messages/batches?limit=2');
    expect(first.json.data.map((batch: { id: string }) => batch.id)).toEqual(newest.slice(0, 2));
    expect(first.json).toMatchObject({ has_more: true, first_id: newest[0], last_id: newest[1] });
    const second = await call('GET', `/v1/messages/batches?limit=2&after_id=${first.json.last_id}`);
    expect(second.json.data.map((batch: { id: string }) => batch.id)).toEqual(newest.slice(2, 4));
    const back = await call('GET', `/v1/messages/batches?limit=2&before_id=${second.json.first_id}`);
    expect(back.json.data.map((batch: { id: string }) => batch.id)).toEqual(newest.slice(0, 2));
    expect((await call('GET', '/v1/messages/batches?limit=0')).status).toBe(400);
    // The default page is 20 (the real API's), so the five made here fit in one.
    const all = await call('GET', '/v1/messages/batches');
    expect(all.json.data.slice(0, 5).map((batch: { id: string }) => batch.id)).toEqual(newest);
  });

  it('cancels: canceling at once, ended with canceled results after', async () => {
    server.configure({ batchCompletionDelayMs: 60_000 });
    const created = await call('POST', '/v1/messages/batches', { requests: [request('a', 'x')] });
    expect((await call('GET', `/v1/messages/batches/${created.json.id}/results`)).status).toBe(400);
    const canceling = await call('POST', `/v1/messages/batches/${created.json.id}/cancel`);
    expect(canceling.json).toMatchObject({ processing_status: 'canceling', cancel_initiated_at: expect.any(String) });
    const ended = await call('GET', `/v1/messages/batches/${created.json.id}`);
    expect(ended.json.request_counts).toMatchObject({ canceled: 1 });
    const lines = (await call('GET', ended.json.results_url)).text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([{ custom_id: 'a', result: { type: 'canceled' } }]);
  });

  it('expires every request with batchExpire', async () => {
    server.configure({ batchExpire: true });
    const created = await call('POST', '/v1/messages/batches', { requests: [request('a', 'x'), request('b', 'y')] });
    const ended = await call('GET', `/v1/messages/batches/${created.json.id}`);
    expect(ended.json.request_counts).toMatchObject({ expired: 2, succeeded: 0 });
    const lines = (await call('GET', ended.json.results_url)).text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.result.type)).toEqual(['expired', 'expired']);
  });

  it.each([
    [{ requests: [request('has space', 'x')] }, 'custom_id'],
    [{ requests: [request('a', 'x'), request('a', 'y')] }, 'Duplicate custom_id'],
    [{ requests: [] }, 'at least 1'],
    [{}, 'requests: Field required'],
  ])('rejects %j with a 400', async (body, message) => {
    const res = await call('POST', '/v1/messages/batches', body);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain(message);
    expect(server.stats().batchesCreated).toBe(0);
  });

  it('404s an unknown batch in Anthropic shape', async () => {
    const res = await call('GET', '/v1/messages/batches/msgbatch_nope');
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });
});
