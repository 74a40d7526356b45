import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { BatchCallError } from '../../../src/providers/batch/batch-call-error.js';
import { createBatchClient } from '../../../src/providers/batch/create-batch-client.js';
import type { RetryNotice } from '../../../src/providers/batch/retry-call.js';

const BASE = 'https://api.example.test';
const signal = new AbortController().signal;
const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
const batch = (id: string, status = 'validating') => ({ id, object: 'batch', status, input_file_id: 'file-1', request_counts: { total: 1, completed: 0, failed: 0 } });

function setUp(maxRetries = 3) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const notices: RetryNotice[] = [];
  const waits: number[] = [];
  const client = (provider: 'openai' | 'anthropic') =>
    createBatchClient({
      provider,
      baseUrl: provider === 'openai' ? `${BASE}/v1` : BASE,
      apiKey: 'sk-test-secret-key-123',
      timeoutMs: 5_000,
      dispatcher: agent,
      retry: { maxRetries, maxWaitMs: 60_000, random: () => 0.5, sleep: async (ms) => void waits.push(ms), onRetry: (notice) => notices.push(notice) },
    });
  return { pool: agent.get(BASE), client, notices, waits };
}

describe('batch control calls retry through the one retry policy', () => {
  it('retries an upload after a 503 and a reset, then creates the batch', async () => {
    const { pool, client, notices } = setUp();
    pool.intercept({ path: '/v1/files', method: 'POST' }).reply(503, { error: { message: 'busy' } });
    pool.intercept({ path: '/v1/files', method: 'POST' }).replyWithError(reset());
    pool.intercept({ path: '/v1/files', method: 'POST' }).reply(200, { id: 'file-1', object: 'file' });
    pool.intercept({ path: '/v1/batches', method: 'POST' }).reply(200, batch('batch_1'));
    const submitted = await client('openai').submit(['{"custom_id":"a"}'], { signal, onStep: () => undefined });
    expect(submitted).toEqual({ id: 'batch_1', status: 'validating', inputFileId: 'file-1' });
    expect(notices.map((notice) => [notice.operation, notice.info.class])).toEqual([
      ['upload the batch file', 'server'],
      ['upload the batch file', 'network'],
    ]);
  });

  it('finds the batch a lost create answer made instead of creating a second one', async () => {
    const { pool, client } = setUp();
    pool.intercept({ path: '/v1/files', method: 'POST' }).reply(200, { id: 'file-1' });
    pool.intercept({ path: '/v1/batches', method: 'POST' }).replyWithError(reset());
    pool.intercept({ path: '/v1/batches?limit=100', method: 'GET' }).reply(200, { object: 'list', data: [{ ...batch('batch_other'), input_file_id: 'file-9' }, batch('batch_lost', 'in_progress')] });
    // Were the client to create again, this interceptor would answer with a second batch.
    pool.intercept({ path: '/v1/batches', method: 'POST' }).reply(200, batch('batch_twice'));
    const submitted = await client('openai').submit(['{"custom_id":"a"}'], { signal, onStep: () => undefined });
    expect(submitted).toEqual({ id: 'batch_lost', status: 'in_progress', inputFileId: 'file-1' });
  });

  it('finds the Anthropic message batch a lost create answer made, by creation time, count and custom ids', async () => {
    const { pool, client } = setUp();
    const recent = new Date(Date.now()).toISOString();
    const old = new Date(Date.now() - 3_600_000).toISOString();
    const msgBatch = (id: string, status: string, counts: object, createdAt: string) =>
      ({ id, type: 'message_batch', processing_status: status, request_counts: counts, created_at: createdAt, results_url: `${BASE}/v1/messages/batches/${id}/results` });
    pool.intercept({ path: '/v1/messages/batches', method: 'POST' }).replyWithError(reset());
    pool.intercept({ path: '/v1/messages/batches?limit=100', method: 'GET' }).reply(200, {
      data: [
        msgBatch('msgbatch_three', 'in_progress', { processing: 3 }, recent), // another count
        msgBatch('msgbatch_others', 'ended', { succeeded: 2 }, recent), // same count, other custom ids
        msgBatch('msgbatch_lost', 'ended', { succeeded: 2 }, recent),
        msgBatch('msgbatch_old', 'in_progress', { processing: 2 }, old), // made before our create
      ],
      has_more: false,
    });
    const line = (id: string) => JSON.stringify({ custom_id: id, result: { type: 'succeeded', message: { id: 'm', type: 'message', role: 'assistant', model: 'claude', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', usage: { input_tokens: 1, output_tokens: 1 } } } });
    pool.intercept({ path: '/v1/messages/batches/msgbatch_others/results', method: 'GET' }).reply(200, `${line('x')}\n${line('y')}\n`);
    pool.intercept({ path: '/v1/messages/batches/msgbatch_lost/results', method: 'GET' }).reply(200, `${line('a')}\n${line('b')}\n`);
    // Were the client to create again, this interceptor would answer with a second batch.
    pool.intercept({ path: '/v1/messages/batches', method: 'POST' }).reply(200, msgBatch('msgbatch_twice', 'in_progress', { processing: 2 }, recent));
    const encoded = ['a', 'b'].map((id) => JSON.stringify({ custom_id: id, params: { model: 'claude', max_tokens: 5, messages: [] } }));
    const submitted = await client('anthropic').submit(encoded, { signal, onStep: () => undefined });
    expect(submitted).toEqual({ id: 'msgbatch_lost', status: 'ended' });
  });

  it('pages through the Anthropic batch list (after_id = last_id) and stops at the first batch older than the create', async () => {
    const { pool, client } = setUp();
    const recent = new Date(Date.now()).toISOString();
    const old = new Date(Date.now() - 3_600_000).toISOString();
    const msgBatch = (id: string, processing: number, createdAt: string) =>
      ({ id, type: 'message_batch', processing_status: 'in_progress', request_counts: { processing }, created_at: createdAt });
    const encoded = ['a', 'b'].map((id) => JSON.stringify({ custom_id: id, params: { model: 'claude', max_tokens: 5, messages: [] } }));
    // First create lost: the batch is on the second page, behind a page of newer ones.
    pool.intercept({ path: '/v1/messages/batches', method: 'POST' }).replyWithError(reset());
    pool.intercept({ path: '/v1/messages/batches?limit=100', method: 'GET' }).reply(200, { data: [msgBatch('msgbatch_n1', 1, recent)], has_more: true, first_id: 'msgbatch_n1', last_id: 'msgbatch_n1' });
    pool.intercept({ path: '/v1/messages/batches?limit=100&after_id=msgbatch_n1', method: 'GET' }).reply(200, { data: [msgBatch('msgbatch_lost', 2, recent)], has_more: false, first_id: 'msgbatch_lost', last_id: 'msgbatch_lost' });
    expect(await client('anthropic').submit(encoded, { signal, onStep: () => undefined })).toEqual({ id: 'msgbatch_lost', status: 'in_progress' });

    // Second create lost, but nothing of ours on the first page, which ends in a batch older than the create:
    // the next page (which would offer a matching batch) is never read, and the create is sent again.
    pool.intercept({ path: '/v1/messages/batches', method: 'POST' }).replyWithError(reset());
    pool.intercept({ path: '/v1/messages/batches?limit=100', method: 'GET' }).reply(200, { data: [msgBatch('msgbatch_n2', 1, recent), msgBatch('msgbatch_old', 3, old)], has_more: true, first_id: 'msgbatch_n2', last_id: 'msgbatch_old' });
    pool.intercept({ path: '/v1/messages/batches?limit=100&after_id=msgbatch_old', method: 'GET' }).reply(200, { data: [msgBatch('msgbatch_wrong', 2, recent)], has_more: false });
    pool.intercept({ path: '/v1/messages/batches', method: 'POST' }).reply(200, msgBatch('msgbatch_new', 2, recent));
    expect(await client('anthropic').submit(encoded, { signal, onStep: () => undefined })).toEqual({ id: 'msgbatch_new', status: 'in_progress' });
  });

  it('honours retry-after on a 429 poll', async () => {
    const { pool, client, waits } = setUp();
    pool.intercept({ path: '/v1/messages/batches/msgbatch_1', method: 'GET' }).reply(429, { type: 'error', error: { type: 'rate_limit_error', message: 'slow' } }, { headers: { 'retry-after': '7' } });
    pool.intercept({ path: '/v1/messages/batches/msgbatch_1', method: 'GET' }).reply(200, { id: 'msgbatch_1', type: 'message_batch', processing_status: 'in_progress', request_counts: { processing: 1 } });
    const snapshot = await client('anthropic').poll('msgbatch_1', signal);
    expect(snapshot.status).toBe('in_progress');
    expect(waits[0]).toBeGreaterThanOrEqual(7_000);
  });

  it('gives up after --max-retries with a non-fatal BatchCallError, and never shows the key', async () => {
    const { pool, client } = setUp(1);
    pool.intercept({ path: '/v1/batches/batch_1', method: 'GET' }).reply(500, { error: { message: 'boom sk-test-secret-key-123' } }).times(2);
    const error = await client('openai').poll('batch_1', signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchCallError);
    expect((error as BatchCallError).fatal).toBe(false);
    expect((error as BatchCallError).outcome.disposition).toBe('retry');
    expect((error as BatchCallError).message).not.toContain('sk-test-secret-key-123');
  });

  it('does not retry a 400 on create', async () => {
    const { pool, client, notices } = setUp();
    pool.intercept({ path: '/v1/messages/batches', method: 'POST' }).reply(400, { type: 'error', error: { type: 'invalid_request_error', message: 'too big' } });
    const error = await client('anthropic').submit(['{}'], { signal, onStep: () => undefined }).catch((e: unknown) => e);
    expect((error as BatchCallError).outcome.disposition).toBe('dead-letter');
    expect(notices).toHaveLength(0);
  });
});
