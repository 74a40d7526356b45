import { afterAll, describe, expect, it } from 'vitest';
import { startMockServer } from '../../../src/mock/server.js';
import { createBatchClient } from '../../../src/providers/batch/create-batch-client.js';

const server = await startMockServer({ batchCompletionDelayMs: 60_000 });
afterAll(() => server.close());
const HEADERS = { 'x-api-key': 'test-key', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };
const signal = new AbortController().signal;
/** More batches than one recovery page (100) holds. */
const NEWER_BATCHES = 150;

const encode = (customId: string) => JSON.stringify({ custom_id: customId, params: { model: 'claude-haiku-4-5', max_tokens: 5, messages: [{ role: 'user', content: customId }] } });

/** Batches of one request each: never taken for ours, which holds two. */
async function createOthers(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const res = await fetch(`${server.url}/v1/messages/batches`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ requests: [JSON.parse(encode(`o${i}`))] }) });
    expect(res.status).toBe(200);
  }
}

function client(onWait: () => Promise<void>) {
  return createBatchClient({
    provider: 'anthropic',
    baseUrl: server.url,
    apiKey: 'test-key',
    timeoutMs: 10_000,
    // The wait before the retry is when other work in the workspace creates batches newer than ours.
    retry: { maxRetries: 3, maxWaitMs: 60_000, random: () => 0, sleep: onWait },
  });
}

describe('Anthropic lost-create recovery pages through the batch list (mock server)', () => {
  it('finds the batch a dropped create made behind a full page of newer batches, and creates no second one', async () => {
    server.configure({ batchCreateAnswerDrops: 1 });
    server.resetStats();
    const batches = client(() => createOthers(NEWER_BATCHES));
    const submitted = await batches.submit([encode('a'), encode('b')], { signal, onStep: () => undefined });
    await batches.close();
    const stats = server.stats();
    // Ours plus the others; a second create of ours would make one more.
    expect(stats.batchesCreated).toBe(NEWER_BATCHES + 1);
    const found = (await (await fetch(`${server.url}/v1/messages/batches/${submitted.id}`, { headers: HEADERS })).json()) as { request_counts: { processing: number } };
    expect(found.request_counts.processing).toBe(2);
  });
});
