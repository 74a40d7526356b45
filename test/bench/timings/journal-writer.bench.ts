/** Appends per second of the results writer (src/journal/journal-writer.ts). Printed, not asserted. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalWriter } from '../../../src/journal/journal-writer.js';
import { useTempDir } from '../../journal/temp-dir.js';

const tempDir = useTempDir();

describe('JournalWriter', () => {
  it('measures append throughput (printed, not asserted)', () => {
    const file = path.join(tempDir(), 'bench.jsonl');
    const writer = JournalWriter.open(file);
    const record = {
      id: 'item-000000',
      output: 'positive',
      model: 'gpt-4o-mini-2024-07-18',
      usage: { input_tokens: 123, output_tokens: 3, cached_input_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 },
      cost_usd: 0.0000201,
      attempts: 1,
      latency_ms: 412,
      cached: false,
      finish_reason: 'stop',
      mode: 'realtime',
      ts: '2025-05-01T10:00:00.000Z',
    };
    const count = 200_000;
    const started = performance.now();
    for (let i = 0; i < count; i += 1) writer.append({ ...record, id: `item-${i}` });
    writer.close();
    const seconds = (performance.now() - started) / 1000;
    console.log(`[bench] JournalWriter: ${count} appends in ${seconds.toFixed(2)} s = ${Math.round(count / seconds)} appends/s`);
    expect(fs.readFileSync(file, 'utf8').split('\n').length).toBe(count + 1);
  });
});
