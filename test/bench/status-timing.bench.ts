import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOutputStatus } from '../../src/report/status.js';
import { useTempDir } from '../journal/temp-dir.js';

/** SPEC §12 measures resume start-up on a 1,000,000-line results file; status reads the same file. */
const LINES = 1_000_000;
const FAILED = 10_000;
/** Lines per write while generating: keeps generation to a couple of seconds. */
const WRITE_BATCH = 20_000;

function writeLines(file: string, count: number, line: (i: number) => string): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (let start = 0; start < count; start += WRITE_BATCH) {
      let text = '';
      for (let i = start; i < Math.min(count, start + WRITE_BATCH); i += 1) text += `${line(i)}\n`;
      fs.writeSync(fd, text);
    }
  } finally {
    fs.closeSync(fd);
  }
}

function resultLine(i: number): string {
  return JSON.stringify({
    id: `item-${i}`,
    output: i % 3 === 0 ? 'positive' : 'negative',
    parsed: { label: i % 3 === 0 ? 'positive' : 'negative', score: (i % 100) / 100 },
    model: 'gpt-4o-mini-2024-07-18',
    usage: { input_tokens: 120, output_tokens: 8, cached_input_tokens: 64, cache_write_tokens: 0, reasoning_tokens: 0 },
    cost_usd: 0.0000228,
    attempts: 1,
    latency_ms: 412,
    cached: false,
    finish_reason: 'stop',
    mode: 'realtime',
    ts: '2025-05-01T10:00:01.000Z',
  });
}

describe('status on a 1,000,000-line output (timing printed, not asserted)', () => {
  const tempDir = useTempDir();

  it('reads done, failed, totals and pending', async () => {
    const dir = tempDir();
    const results = path.join(dir, 'big.jsonl');
    const input = path.join(dir, 'items.jsonl');
    const generateStart = performance.now();
    writeLines(results, LINES, resultLine);
    writeLines(path.join(dir, 'big.failed.jsonl'), FAILED, (i) =>
      JSON.stringify({ id: `item-${LINES + i}`, error: { class: 'rate_limit', message: 'slow down' }, attempts: 7, ts: 'x' }),
    );
    writeLines(input, LINES + 2 * FAILED, (i) => JSON.stringify({ id: `item-${i}`, text: `review number ${i}` }));
    const generateMs = performance.now() - generateStart;

    const withoutInput = await time(() => readOutputStatus([results]));
    expect(withoutInput.value.merged.done).toBe(LINES);
    expect(withoutInput.value.merged.failed.total).toBe(FAILED);

    writeState(path.join(dir, 'big.state.json'), input);
    const withInput = await time(() => readOutputStatus([results]));
    expect(withInput.value.merged.pending).toMatchObject({ count: FAILED, inScope: LINES + 2 * FAILED });

    const mb = (file: string) => (fs.statSync(file).size / 1e6).toFixed(0);
    const rssMb = (process.memoryUsage().rss / 1e6).toFixed(0);
    console.log(
      [
        `status timing (${LINES.toLocaleString('en-US')} result lines, ${mb(results)} MB; input ${mb(input)} MB; generated in ${ms(generateMs)})`,
        `  status, results + failures only:        ${ms(withoutInput.ms)}`,
        `  status, also counting pending (input):  ${ms(withInput.ms)}`,
        `  process RSS afterwards:                 ${rssMb} MB`,
      ].join('\n'),
    );
  }, 300_000);
});

async function time<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

function ms(value: number): string {
  return `${(value / 1000).toFixed(2)} s`;
}

function writeState(file: string, input: string): void {
  const head = fs.readFileSync(input).subarray(0, 64 * 1024);
  const state = {
    version: 1,
    fingerprint: {
      input: { path: input, size: fs.statSync(input).size, headHash: createHash('sha256').update(head).digest('hex'), headBytes: head.length },
      templateHash: 'a'.repeat(64),
      model: 'gpt-4o-mini',
      provider: 'openai',
      baseUrl: 'https://api.openai.com/v1',
      params: {},
      mode: 'realtime',
    },
    batches: [],
    totals: { succeeded: 0, failed: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0 },
    updatedAt: new Date().toISOString(),
  };
  fs.writeFileSync(file, JSON.stringify(state));
}
