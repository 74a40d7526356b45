import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { statusCommand } from '../../src/cli/status-command.js';
import { EXIT, UsageError } from '../../src/errors.js';
import type { OutputStatus } from '../../src/report/status.js';
import { FIXTURES } from '../helpers/cli.js';
import { collectStream } from '../report/collect-stream.js';

const BASIC = path.join(FIXTURES, 'report-basic', 'out.jsonl');
const SHARDS = path.join(FIXTURES, 'report-shards', 'out-*.jsonl');

async function status(outputs: string[], flags: Parameters<typeof statusCommand>[1] = {}) {
  const io = { stdout: collectStream(), stderr: collectStream() };
  const code = await statusCommand(outputs, flags, io);
  return { code, stdout: io.stdout.text(), stderr: io.stderr.text() };
}

describe('statusCommand', () => {
  it('prints an aligned block for one output', async () => {
    const { code, stdout, stderr } = await status([BASIC]);
    expect(code).toBe(EXIT.ok);
    expect(stderr).toBe('');
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(BASIC);
    expect(lines).toContain('  run       gpt-4o-mini · openai · realtime · template 4ba8ffc7bf15');
    expect(lines).toContain('  params    temperature=0 max_tokens=50');
    expect(lines).toContain('  done      3  (+1 repeated answer, paid and counted in tokens)');
    expect(lines).toContain('  failed    1  bad_request 1');
    expect(lines.find((line) => line.startsWith('  pending'))).toMatch(/^ {2}pending {3}1 {2}of 5 items in .*items\.csv$/);
    expect(lines).toContain('  batches   1  pending at the provider: batch_open (openai, in_progress, 2 items)');
    expect(lines).toContain('  tokens    in 400 (cached 80, cache write 0) · out 40 (reasoning 0)  (all runs)');
    expect(lines.find((line) => line.startsWith('  cost'))).toMatch(/^ {2}cost {6}\$0\.0003 {2}at least: 1 result has no known price +\(all runs\)$/);
    // The all-runs mark stands in one column on every row it ends.
    const marks = lines.filter((line) => line.endsWith('(all runs)')).map((line) => line.indexOf('(all runs)'));
    expect(marks).toHaveLength(3);
    expect(new Set(marks).size).toBe(1);
    expect(stdout).toMatch(/ {2}note {6}a torn last line/);
    expect(stdout).not.toMatch(/total of/);
    // Plain text for cron mails and pipes: no escape codes, no carriage returns.
    expect(stdout).not.toMatch(/[\u001b\r]/);
  });

  it('expands a glob of shard outputs and adds the merged total', async () => {
    const { stdout } = await status([SHARDS]);
    const blocks = stdout.trimEnd().split('\n\n');
    expect(blocks.map((block) => block.split('\n')[0])).toEqual([
      path.join(FIXTURES, 'report-shards', 'out-1.jsonl'),
      path.join(FIXTURES, 'report-shards', 'out-2.jsonl'),
      'total of 2 outputs',
    ]);
    expect(blocks[2]).toMatch(/ {2}done {6}2\n {2}failed {4}2 {2}timeout 2\n {2}pending {3}2 {2}of 6 items in /);
  });

  it('prints a stable JSON document with --json', async () => {
    const { stdout } = await status([SHARDS], { json: true });
    const document = JSON.parse(stdout) as OutputStatus;
    expect(document.version).toBe(1);
    expect(document.outputs.map((output) => path.basename(output.path))).toEqual(['out-1.jsonl', 'out-2.jsonl']);
    expect(document.merged).toMatchObject({ outputs: 2, done: 2, pending: { count: 2, inScope: 6 }, costUsd: 0.0002 });
    expect(Object.keys(document.outputs[0])).toEqual([
      'path',
      'fingerprint',
      'lastRun',
      'done',
      'failed',
      'pending',
      'pendingBatches',
      'resultLines',
      'tokens',
      'costUsd',
      'cacheHits',
      'dedupHits',
      'figures',
      'unpricedResults',
      'lastUpdate',
      'damage',
      'sinceCheckpoint',
      'notes',
    ]);
  });

  it('is a UsageError (exit 2) for a missing output or a glob that matches nothing', async () => {
    await expect(status([path.join(FIXTURES, 'report-basic', 'nope.jsonl')])).rejects.toThrow(UsageError);
    await expect(status([path.join(FIXTURES, 'report-basic', 'nope-*.jsonl')])).rejects.toThrow(/no output matches/);
  });
});
