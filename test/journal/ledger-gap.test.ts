import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeLedgerGap, readLedgerGap } from '../../src/journal/ledger-gap.js';
import { emptyStateTotals, readState, type RunState } from '../../src/journal/state-file.js';
import { useTempDir } from './temp-dir.js';

const tempDir = useTempDir();

const result = (id: string, input: number, output: number, cost: number, cached = false) =>
  JSON.stringify({ id, output: 'x', model: 'm', usage: { input_tokens: input, output_tokens: output }, cost_usd: cached ? 0 : cost, cached, ts: 't' }) + '\n';

function files(): { results: string; failed: string } {
  return { results: path.join(tempDir(), 'out.jsonl'), failed: path.join(tempDir(), 'out.failed.jsonl') };
}

function stateWith(totals: Partial<RunState['totals']>, covered?: RunState['covered']): RunState {
  return {
    version: 1,
    fingerprint: {} as RunState['fingerprint'],
    batches: [],
    totals: { ...emptyStateTotals(), ...totals },
    ...(covered ? { covered } : {}),
    updatedAt: 't',
  };
}

describe('readLedgerGap', () => {
  it('sums the lines past the byte offsets the last checkpoint recorded', async () => {
    const paths = files();
    const before = result('a', 10, 2, 0.5) + result('b', 10, 2, 0.5);
    fs.writeFileSync(paths.results, before + result('c', 7, 3, 0.25) + result('d', 5, 1, 0, true));
    fs.writeFileSync(paths.failed, JSON.stringify({ id: 'e', error: { class: 'server' }, attempts: 1, ts: 't' }) + '\n');
    const gap = await readLedgerGap(paths, stateWith({ succeeded: 2 }, { results: Buffer.byteLength(before), failed: 0 }));
    expect(gap).toMatchObject({ results: 2, failures: 1 });
    expect(gap.totals).toMatchObject({ succeeded: 2, failed: 1, inputTokens: 7, outputTokens: 3, costUsd: 0.25, cacheHits: 1 });
    expect(describeLedgerGap(gap)).toBe('2 results (and 1 failures) newer than the last checkpoint counted from the output file');
  });

  it('without offsets (an older state) the lines beyond the ledger count are the newest ones', async () => {
    const paths = files();
    fs.writeFileSync(paths.results, result('a', 10, 2, 0.5) + result('b', 4, 1, 0.125) + result('c', 7, 3, 0.25));
    const gap = await readLedgerGap(paths, stateWith({ succeeded: 1 }));
    expect(gap.totals).toMatchObject({ succeeded: 2, inputTokens: 11, outputTokens: 4, costUsd: 0.375 });
  });

  it('a state whose ledger is up to date has no gap', async () => {
    const paths = files();
    fs.writeFileSync(paths.results, result('a', 10, 2, 0.5));
    const size = fs.statSync(paths.results).size;
    const gap = await readLedgerGap(paths, stateWith({ succeeded: 1 }, { results: size, failed: 0 }));
    expect(gap).toMatchObject({ results: 0, failures: 0 });
    expect(describeLedgerGap(gap)).toBeUndefined();
  });

  it('an offset past the end (a file cut by hand) falls back to the count', async () => {
    const paths = files();
    fs.writeFileSync(paths.results, result('a', 10, 2, 0.5) + result('b', 4, 1, 0.125));
    const gap = await readLedgerGap(paths, stateWith({ succeeded: 1 }, { results: 1_000_000, failed: 0 }));
    expect(gap.totals).toMatchObject({ succeeded: 1, inputTokens: 4 });
  });
});

describe('readState of an older version', () => {
  it('reads a state without totals as zero figures', async () => {
    const file = path.join(tempDir(), 'out.state.json');
    fs.writeFileSync(file, JSON.stringify({ version: 1, fingerprint: { input: {} }, batches: [], updatedAt: 't' }));
    expect((await readState(file))!.totals).toEqual(emptyStateTotals());
  });
});
