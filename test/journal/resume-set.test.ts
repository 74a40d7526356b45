import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalWriter } from '../../src/journal/journal-writer.js';
import { outputPathsFor } from '../../src/journal/output-paths.js';
import type { FailureRecord, ResultRecord } from '../../src/journal/records.js';
import { createSkipPredicate, loadResumeState, loadRunResumeState } from '../../src/journal/resume-set.js';
import { useTempDir } from './temp-dir.js';

const tempDir = useTempDir();

function result(id: string, cost: number | null = 0.001, tokens = 100): ResultRecord {
  return {
    id,
    output: 'ok',
    model: 'gpt-4o-mini',
    usage: { input_tokens: tokens, output_tokens: 10, cached_input_tokens: 5, cache_write_tokens: 1, reasoning_tokens: 2 },
    cost_usd: cost,
    attempts: 1,
    latency_ms: 300,
    cached: false,
    finish_reason: 'stop',
    mode: 'realtime',
    ts: '2025-05-01T10:00:00.000Z',
  };
}

function failure(id: string, message: string): FailureRecord {
  return { id, error: { class: 'server', status: 500, message }, attempts: 7, ts: '2025-05-01T10:00:00.000Z' };
}

function writeLines(file: string, records: object[]): void {
  const writer = JournalWriter.open(file);
  for (const record of records) writer.append(record);
  writer.close();
}

describe('loadResumeState', () => {
  it('keeps the latest failure per id and lets any result supersede failures', async () => {
    const paths = outputPathsFor(path.join(tempDir(), 'out.jsonl'));
    // a: failed then succeeded → done. b: succeeded then failed later (a duplicate run) → stays done.
    // c: failed twice → latest failure. d: only succeeded.
    writeLines(paths.failed, [failure('a', 'a1'), failure('c', 'c1'), failure('b', 'b1'), failure('c', 'c2')]);
    // e: a cache hit, which copied an answer: counted as a line, its tokens were not billed.
    writeLines(paths.results, [result('b'), result('a'), result('d', null), { ...result('e', 0), cached: true }]);

    const state = await loadResumeState(paths, { withTotals: true });
    expect([...state.done].sort()).toEqual(['a', 'b', 'd', 'e']);
    expect([...state.failedLatest.keys()]).toEqual(['c']);
    expect(state.failedLatest.get('c')?.error.message).toBe('c2');
    expect(state.totals).toEqual({
      succeeded: 4,
      cachedResults: 1,
      inputTokens: 300,
      outputTokens: 30,
      cachedInputTokens: 15,
      cacheWriteTokens: 3,
      reasoningTokens: 6,
      costUsd: 0.002,
      unpricedResults: 1,
    });

    expect(createSkipPredicate(state, false)('c')).toBe(false);
    expect(createSkipPredicate(state, true)('c')).toBe(true);
    expect(createSkipPredicate(state, true)('a')).toBe(true);
    expect(createSkipPredicate(state, true)('new')).toBe(false);
  });

  it('reads ids without totals by default, tolerating torn tails, damage and foreign key order', async () => {
    const paths = outputPathsFor(path.join(tempDir(), 'out.jsonl'));
    fs.writeFileSync(
      paths.results,
      '{"id":"a","output":"x"}\n{"output":"y","id":"b"}\n{"id":7}\n{"id":"esc\\"aped"}\ngarbage\n{"id":"c"}\n{"id":"torn',
    );
    const damaged: string[] = [];
    const state = await loadResumeState(paths, { onInvalidLine: (file, line) => damaged.push(`${path.basename(file)}:${line.line}`) });
    expect([...state.done]).toEqual(['a', 'b', '7', 'esc"aped', 'c']);
    expect(state.totals).toBeUndefined();
    expect(state.failedLatest.size).toBe(0);
    expect(damaged).toEqual(['out.jsonl:5']);
    expect(state.invalidLines).toBe(1);
    expect(state.tornTails).toBe(1);
  });

  it('loadRunResumeState, the off-heap reader a run uses, finds the same done ids and failures', async () => {
    const paths = outputPathsFor(path.join(tempDir(), 'out.jsonl'));
    fs.writeFileSync(
      paths.results,
      '{"id":"a","output":"x"}\n{"output":"y","id":"b"}\n{"id":7}\n{"id":"esc\\"aped"}\n{"id":"日本"}\ngarbage\n{"id":"a"}\n{"id":"torn',
    );
    writeLines(paths.failed, [failure('b', 'superseded'), failure('z', 'still failed')]);
    const state = await loadRunResumeState(paths);
    const reference = await loadResumeState(paths);
    for (const id of ['a', 'b', '7', 'esc"aped', '日本']) expect(state.done.has(id)).toBe(true);
    for (const id of ['c', 'torn', 'garbage', 'z']) expect(state.done.has(id)).toBe(false);
    expect(state.done.size).toBe(reference.done.size);
    expect([...state.failedLatest.keys()]).toEqual(['z']);
    expect({ invalidLines: state.invalidLines, tornTails: state.tornTails }).toEqual({ invalidLines: 1, tornTails: 1 });
    expect(createSkipPredicate(state, true)('z')).toBe(true);
  });

  it('reads a missing output as empty', async () => {
    const state = await loadResumeState(outputPathsFor(path.join(tempDir(), 'none.jsonl')));
    expect(state.done.size).toBe(0);
    expect(state.failedLatest.size).toBe(0);
  });
});

