/**
 * Reading a 1,000,000-line results file for resume (src/journal/resume-set.ts): ids only, and with totals.
 * Printed, not asserted; SPEC §12's resume row (bench row e) measures the whole CLI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputPathsFor } from '../../../src/journal/output-paths.js';
import type { FailureRecord, ResultRecord } from '../../../src/journal/records.js';
import { loadResumeState } from '../../../src/journal/resume-set.js';
import { useTempDir } from '../../journal/temp-dir.js';

const tempDir = useTempDir();

function result(id: string): ResultRecord {
  return {
    id,
    output: 'ok',
    model: 'gpt-4o-mini',
    usage: { input_tokens: 100, output_tokens: 10, cached_input_tokens: 5, cache_write_tokens: 1, reasoning_tokens: 2 },
    cost_usd: 0.001,
    attempts: 1,
    latency_ms: 300,
    cached: false,
    finish_reason: 'stop',
    mode: 'realtime',
    ts: '2025-05-01T10:00:00.000Z',
  };
}

function failure(id: string, message: string): FailureRecord {
  return { id, error: { class: 'server', status: 500, message }, attempts: 3, ts: '2025-05-01T10:00:00.000Z' };
}

describe('resume set', () => {
  it('loads a 1,000,000-line results file (timings printed, not asserted)', async () => {
    const paths = outputPathsFor(path.join(tempDir(), 'big.jsonl'));
    const count = 1_000_000;
    writeBigResults(paths.results, count);
    fs.writeFileSync(paths.failed, [failure('item-5', 'superseded'), failure('extra', 'still failed')].map((r) => `${JSON.stringify(r)}\n`).join(''));
    const megabytes = fs.statSync(paths.results).size / 1e6;

    const idsStarted = performance.now();
    const ids = await loadResumeState(paths);
    const idsSeconds = (performance.now() - idsStarted) / 1000;
    const totalsStarted = performance.now();
    const withTotals = await loadResumeState(paths, { withTotals: true });
    const totalsSeconds = (performance.now() - totalsStarted) / 1000;

    console.log(
      `[bench] resume: ${count} result lines (${megabytes.toFixed(0)} MB): ids in ${idsSeconds.toFixed(2)} s, ` +
        `with totals (full JSON.parse) in ${totalsSeconds.toFixed(2)} s`,
    );
    expect(ids.done.size).toBe(count);
    expect([...ids.failedLatest.keys()]).toEqual(['extra']);
    expect(withTotals.totals?.succeeded).toBe(count);
    expect(withTotals.totals?.inputTokens).toBe(count * 100);
  });
});

/** Writes result lines in large chunks: the writer's own speed is measured in journal-writer.bench.ts. */
function writeBigResults(file: string, count: number): void {
  const fd = fs.openSync(file, 'w');
  const [head, tail] = JSON.stringify(result('ID')).split('"ID"');
  const chunkLines = 10_000;
  for (let start = 0; start < count; start += chunkLines) {
    let chunk = '';
    for (let i = start; i < Math.min(count, start + chunkLines); i += 1) chunk += `${head}"item-${i}"${tail}\n`;
    fs.writeSync(fd, chunk);
  }
  fs.closeSync(fd);
}
