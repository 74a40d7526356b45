import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../src/mock/server.js';

const server: MockServer = await startMockServer({ batchCompletionDelayMs: 0 });
afterAll(() => server.close());
beforeEach(() => {
  server.resetStats();
  server.configure({ batchCompletionDelayMs: 0, batchExpire: false });
});

const AUTH = { authorization: 'Bearer test-key' };

function line(customId: string, prompt: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ custom_id: customId, method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] }, ...extra });
}

/** Upload like the OpenAI SDK does: a real multipart form from `fetch`. */
async function upload(lines: string[], purpose = 'batch'): Promise<any> {
  const form = new FormData();
  form.append('purpose', purpose);
  form.append('file', new Blob([lines.join('\n') + '\n'], { type: 'application/jsonl' }), 'requests.jsonl');
  const res = await fetch(`${server.url}/v1/files`, { method: 'POST', headers: AUTH, body: form });
  return { status: res.status, json: await res.json() };
}

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any; text: string }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...AUTH, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

const create = (fileId: string) => call('POST', '/v1/batches', { input_file_id: fileId, endpoint: '/v1/chat/completions', completion_window: '24h' });

describe('mock OpenAI Files and Batch API', () => {
  it('uploads a file, runs a batch and writes output and error files in the real shapes', async () => {
    const file = await upload([line('a', 'first prompt'), line('b', 'second [[fault:400]]')]);
    expect(file.status).toBe(200);
    expect(file.json).toMatchObject({ object: 'file', purpose: 'batch', filename: 'requests.jsonl' });
    expect(file.json.id).toMatch(/^file-/);

    const created = await create(file.json.id);
    expect(created.json).toMatchObject({ object: 'batch', status: 'validating', endpoint: '/v1/chat/completions', completion_window: '24h', input_file_id: file.json.id });
    expect(server.stats().batchesCreated).toBe(1);

    const done = await call('GET', `/v1/batches/${created.json.id}`);
    expect(done.json).toMatchObject({ status: 'completed', request_counts: { total: 2, completed: 1, failed: 1 } });
    expect(done.json.completed_at).toEqual(expect.any(Number));

    const output = (await call('GET', `/v1/files/${done.json.output_file_id}/content`)).text.trim().split('\n').map((l) => JSON.parse(l));
    expect(output).toHaveLength(1);
    expect(output[0]).toMatchObject({ custom_id: 'a', error: null, response: { status_code: 200, body: { object: 'chat.completion' } } });
    const errors = (await call('GET', `/v1/files/${done.json.error_file_id}/content`)).text.trim().split('\n').map((l) => JSON.parse(l));
    expect(errors[0]).toMatchObject({ custom_id: 'b', response: { status_code: 400, body: { error: { type: 'invalid_request_error' } } } });
    expect(server.stats().requestCountsByPrompt).toEqual({ 'first prompt': 1, 'second [[fault:400]]': 1 });
    expect(server.stats().successesByPrompt).toEqual({ 'first prompt': 1 });
  });

  it('reports progress while running, then lists and cancels', async () => {
    server.configure({ batchCompletionDelayMs: 60_000 });
    const file = await upload([line('a', 'x')]);
    const created = await create(file.json.id);
    expect((await call('GET', `/v1/batches/${created.json.id}`)).json.status).toBe('in_progress');
    const list = await call('GET', '/v1/batches?limit=100');
    expect(list.json.data.map((b: { id: string }) => b.id)).toContain(created.json.id);
    expect((await call('POST', `/v1/batches/${created.json.id}/cancel`)).json.status).toBe('cancelling');
    expect((await call('GET', `/v1/batches/${created.json.id}`)).json).toMatchObject({ status: 'cancelled', cancelled_at: expect.any(Number) });
  });

  it('expires every request with batchExpire', async () => {
    server.configure({ batchExpire: true });
    const created = await create((await upload([line('a', 'x'), line('b', 'y')])).json.id);
    const done = await call('GET', `/v1/batches/${created.json.id}`);
    expect(done.json).toMatchObject({ status: 'expired', output_file_id: null, request_counts: { total: 2, completed: 0, failed: 2 } });
    const errors = (await call('GET', `/v1/files/${done.json.error_file_id}/content`)).text.trim().split('\n').map((l) => JSON.parse(l));
    expect(errors.map((e) => e.error.code)).toEqual(['batch_expired', 'batch_expired']);
  });

  it('fails validation of a file with duplicate custom_ids', async () => {
    const created = await create((await upload([line('a', 'x'), line('a', 'y')])).json.id);
    const done = await call('GET', `/v1/batches/${created.json.id}`);
    expect(done.json).toMatchObject({ status: 'failed', errors: { data: [{ code: 'duplicate_custom_id', line: 2 }] } });
  });

  it('rejects unknown files, wrong purposes and unauthenticated calls', async () => {
    expect((await create('file-nope')).status).toBe(400);
    expect((await create((await upload([line('a', 'x')], 'fine-tune')).json.id)).status).toBe(400);
    expect((await call('GET', '/v1/batches/batch_nope')).status).toBe(404);
    const anonymous = await fetch(`${server.url}/v1/batches/x`);
    expect(anonymous.status).toBe(401);
  });
});
