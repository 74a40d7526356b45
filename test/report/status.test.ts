import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { readOutputStatus } from '../../src/report/status.js';
import { useTempDir } from '../journal/temp-dir.js';
import { copyReportFixture, reportFixture } from './fixture-copy.js';

describe('readOutputStatus', () => {
  const tempDir = useTempDir();

  it('reports one output: superseded failures, torn tail, pending batches, tokens, cost, fingerprint', async () => {
    const status = await readOutputStatus([reportFixture('report-basic', 'out.jsonl')]);
    const [output] = status.outputs;
    // a1 (twice), a2 and a4 are done (a4 failed first, a2 failed after succeeding); a3's latest failure is
    // bad_request; a5's result line is torn, so it is pending.
    expect(output.done).toBe(3);
    expect(output.resultLines).toBe(4);
    expect(output.failed).toEqual({ total: 1, byClass: { bad_request: 1 } });
    expect(output.pending).toEqual({ count: 1, inScope: 5, input: expect.stringMatching(/items\.csv$/) });
    expect(output.pendingBatches).toEqual([
      expect.objectContaining({ id: 'batch_open', status: 'in_progress', itemCount: 2 }),
    ]);
    // Tokens and cost are the state file's ledger (the runs' summaries, added up).
    expect(output.figures).toBe('state');
    expect(output.tokens).toEqual({ input: 400, output: 40, cachedInput: 80, cacheWrite: 0, reasoning: 0 });
    expect(output.costUsd).toBeCloseTo(0.0003, 10);
    expect(output.unpricedResults).toBe(1);
    expect(output.damage).toEqual({ tornTails: 1, invalidLines: 0 });
    expect(output.fingerprint).toMatchObject({ model: 'gpt-4o-mini', provider: 'openai', params: { temperature: 0 } });
    expect(output.notes.join(' ')).toMatch(/torn last line/);
    expect(output.lastUpdate).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(status.merged).toMatchObject({ outputs: 1, done: 3, pending: { count: 1, inScope: 5 } });
  });

  it('takes tokens, cost, cache hits and duplicates from the state ledger, and without one sums only billed result lines', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out.jsonl');
    const line = (id: string, cached: boolean) =>
      JSON.stringify({ id, output: 'x', model: 'm', usage: { input_tokens: 10, output_tokens: 2, cached_input_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 }, cost_usd: cached ? 0 : 0.01, attempts: cached ? 0 : 1, latency_ms: 1, cached, finish_reason: 'stop', mode: 'realtime', ts: '2025-05-01T10:00:00.000Z' });
    fs.writeFileSync(out, [line('a', false), line('b', true), line('c', true)].join('\n') + '\n');

    const bare = (await readOutputStatus([out])).outputs[0];
    expect(bare).toMatchObject({ figures: 'results', tokens: { input: 10, output: 2 }, costUsd: 0.01, cacheHits: 2, dedupHits: 0, lastRun: null });
    expect(bare.notes.join(' ')).toMatch(/no state file/);

    const basic = JSON.parse(fs.readFileSync(reportFixture('report-basic', 'out.state.json'), 'utf8'));
    const ledger = { succeeded: 3, failed: 1, inputTokens: 25, outputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0.02, cacheHits: 1, dedupHits: 1 };
    const lastRun = { ...ledger, startedAt: '2025-05-01T10:00:00.000Z', mode: 'realtime' };
    fs.writeFileSync(path.join(dir, 'out.state.json'), JSON.stringify({ ...basic, batches: [], totals: ledger, lastRun }));
    const status = await readOutputStatus([out]);
    expect(status.outputs[0]).toMatchObject({ figures: 'state', tokens: { input: 25, output: 5 }, costUsd: 0.02, cacheHits: 1, dedupHits: 1 });
    expect(status.outputs[0].lastRun).toMatchObject({ succeeded: 3, tokens: { input: 25, output: 5 }, costUsd: 0.02, cacheHits: 1, dedupHits: 1 });
    expect(status.merged).toMatchObject({ figures: 'state', cacheHits: 1, dedupHits: 1, costUsd: 0.02 });
  });

  it('merges shard outputs: ids once, pending from the one shared input', async () => {
    const dir = 'report-shards';
    const status = await readOutputStatus([reportFixture(dir, 'out-1.jsonl'), reportFixture(dir, 'out-2.jsonl')]);
    expect(status.merged).toMatchObject({
      outputs: 2,
      done: 2,
      failed: { total: 2, byClass: { timeout: 2 } },
      pending: { count: 2, inScope: 6 },
      resultLines: 2,
    });
    // The states do not record --shard, so a shard's own pending count cannot be told apart from the others'.
    expect(status.outputs[0].pending.count).toBeNull();
    expect(status.outputs[0].pending.reason).toMatch(/--shard/);
  });

  it('counts a shard output against its own shard when the state records it', async () => {
    const dir = copyReportFixture('report-shards', tempDir());
    for (const k of [1, 2]) {
      const statePath = path.join(dir, `out-${k}.state.json`);
      const state = JSON.parse(fs.readFileSync(statePath, 'utf8'));
      state.fingerprint.shard = { index: k - 1, count: 2 };
      fs.writeFileSync(statePath, JSON.stringify(state));
    }
    const status = await readOutputStatus([path.join(dir, 'out-1.jsonl'), path.join(dir, 'out-2.jsonl')]);
    expect(status.outputs.map((output) => output.pending)).toEqual([
      { count: 1, inScope: 3, input: expect.any(String) },
      { count: 1, inScope: 3, input: expect.any(String) },
    ]);
    expect(status.outputs[0].fingerprint?.shard).toEqual({ k: 1, n: 2 });
    expect(status.merged.pending).toMatchObject({ count: 2, inScope: 6 });
  });

  it('says pending is unknown without a state file, and counts it with --input', async () => {
    const dir = copyReportFixture('report-basic', tempDir());
    fs.rmSync(path.join(dir, 'out.state.json'));
    const unknown = await readOutputStatus([path.join(dir, 'out.jsonl')]);
    expect(unknown.outputs[0].pending).toMatchObject({ count: null, reason: expect.stringMatching(/no state file/) });
    expect(unknown.outputs[0].fingerprint).toBeNull();
    expect(unknown.merged.pending.count).toBeNull();
    const known = await readOutputStatus([path.join(dir, 'out.jsonl')], { input: path.join(dir, 'items.csv') });
    expect(known.outputs[0].pending).toMatchObject({ count: 1, inScope: 5 });
  });

  it('finds a moved input beside the output, and says when it was edited', async () => {
    const dir = copyReportFixture('report-basic', tempDir());
    fs.appendFileSync(path.join(dir, 'items.csv'), 'a6,Stool,new\n');
    const grown = await readOutputStatus([path.join(dir, 'out.jsonl')]);
    expect(grown.outputs[0].pending).toMatchObject({ count: 2, inScope: 6 });
    expect(grown.outputs[0].notes.join(' ')).not.toMatch(/not the file/);
    fs.writeFileSync(path.join(dir, 'items.csv'), 'id,title\na1,x\n');
    const edited = await readOutputStatus([path.join(dir, 'out.jsonl')]);
    expect(edited.outputs[0].notes.join(' ')).toMatch(/shrank/);
  });

  it('refuses to guess pending when no result id is in the input (another --id-field)', async () => {
    const dir = copyReportFixture('report-basic', tempDir());
    const other = path.join(dir, 'other.csv');
    fs.writeFileSync(other, 'sku,title\nx1,a\nx2,b\n');
    const status = await readOutputStatus([path.join(dir, 'out.jsonl')], { input: other });
    expect(status.outputs[0].pending).toMatchObject({ count: null, reason: expect.stringMatching(/--id-field/) });
  });

  it('names the holder of a lock file: a run may be writing', async () => {
    const dir = copyReportFixture('report-basic', tempDir());
    fs.writeFileSync(path.join(dir, 'out.lock'), JSON.stringify({ pid: 4242, host: 'box', startedAt: '2025-05-01T10:00:00.000Z' }));
    const status = await readOutputStatus([path.join(dir, 'out.jsonl')]);
    expect(status.outputs[0].notes).toContain(
      'the output is locked (pid 4242 on box, since 2025-05-01T10:00:00.000Z): a run may be writing it now, so these figures may change',
    );
  });

  it('is a UsageError for an output that does not exist, or an --input that does not', async () => {
    await expect(readOutputStatus([path.join(tempDir(), 'none.jsonl')])).rejects.toThrow(UsageError);
    await expect(
      readOutputStatus([reportFixture('report-basic', 'out.jsonl')], { input: path.join(tempDir(), 'none.csv') }),
    ).rejects.toThrow(UsageError);
    await expect(readOutputStatus([reportFixture('report-basic', 'out.jsonl')], { input: '-' })).rejects.toThrow(/not stdin/);
  });
});
