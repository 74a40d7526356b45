/**
 * The mock server's throughput: printed, not asserted (machines vary). Client and server share one
 * process here, so the server alone is faster than this number.
 */
import { Pool } from 'undici';
import { afterAll, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../../src/mock/server.js';
import { OPENAI_HEADERS, openaiBody } from '../../mock/mock-client.js';

const CONCURRENCY = 64;
const DURATION_MS = 2000;

const server: MockServer = await startMockServer({ trackPrompts: false });
const pool = new Pool(server.url, { connections: CONCURRENCY, pipelining: 1 });
afterAll(async () => {
  await pool.close();
  await server.close();
});

it('reports req/s with an undici Pool, keep-alive, 64 concurrent', async () => {
  const bodies = Array.from({ length: 1000 }, (_, i) => JSON.stringify(openaiBody(`Classify item ${i} into one of: A, B, C`)));
  let sent = 0;
  let ok = 0;
  const deadline = performance.now() + DURATION_MS;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const body = bodies[sent++ % bodies.length];
      const res = await pool.request({ path: '/v1/chat/completions', method: 'POST', headers: OPENAI_HEADERS, body });
      await res.body.text();
      if (res.statusCode === 200) ok++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  console.log(`mock server throughput: ${Math.round(ok / seconds)} req/s (${ok} requests, ${CONCURRENCY} concurrent, same process)`);
  expect(ok).toBe(sent);
  expect(server.stats().maxInFlight).toBeLessThanOrEqual(CONCURRENCY);
});
