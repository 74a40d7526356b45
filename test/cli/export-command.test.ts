import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportCommand, type ExportFlags } from '../../src/cli/export-command.js';
import { EXIT, UsageError } from '../../src/errors.js';
import { FIXTURES } from '../helpers/cli.js';
import { useTempDir } from '../journal/temp-dir.js';
import { collectStream } from '../report/collect-stream.js';
import { copyReportFixture } from '../report/fixture-copy.js';

const BASIC = path.join(FIXTURES, 'report-basic', 'out.jsonl');
const SHARDS = path.join(FIXTURES, 'report-shards', 'out-*.jsonl');

async function exportTo(outputs: string[], flags: ExportFlags = {}) {
  const io = { stdout: collectStream(), stderr: collectStream() };
  const code = await exportCommand(outputs, flags, io);
  return { code, stdout: io.stdout.text(), stderr: io.stderr.text() };
}

describe('exportCommand', () => {
  const tempDir = useTempDir();

  it('writes CSV to stdout by default, the summary to stderr', async () => {
    const { code, stdout, stderr } = await exportTo([BASIC]);
    expect(code).toBe(EXIT.ok);
    expect(stdout.split('\n')[0]).toBe('id,title,notes,output,parsed.category,parsed.meta.score,parsed.meta.source,parsed.tags,cost_usd,model');
    expect(stderr).toMatch(/^llm-batch: exported 3 rows \(3 done\) joined to .*items\.csv to stdout\n$/);
  });

  it('writes -o file.json as JSON (format from the extension), leaving no temp file', async () => {
    const target = path.join(tempDir(), 'export.json');
    const { stdout, stderr } = await exportTo([SHARDS], { output: target, includeFailed: true });
    expect(stdout).toBe('');
    const rows = JSON.parse(fs.readFileSync(target, 'utf8')) as Record<string, unknown>[];
    expect(rows.map((row) => row.id)).toEqual(['s1', 's2', 's3', 's4', 's5', 's6']);
    expect(fs.readdirSync(tempDir())).toEqual(['export.json']);
    expect(stderr).toMatch(/exported 6 rows \(2 done, 2 failed, 2 not processed\)/);
  });

  it('lets --format win over the extension, and refuses an unknown one', async () => {
    const target = path.join(tempDir(), 'export.txt');
    await exportTo([BASIC], { output: target, format: 'JSONL' });
    const lines = fs.readFileSync(target, 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(['a1', 'a2', 'a4']);
    await expect(exportTo([BASIC], { format: 'xml' })).rejects.toThrow(UsageError);
  });

  it('refuses to overwrite an output file or the joined input, and leaves them intact', async () => {
    const dir = copyReportFixture('report-basic', tempDir());
    const output = path.join(dir, 'out.jsonl');
    const input = path.join(dir, 'items.csv');
    const before = fs.readFileSync(input, 'utf8');
    await expect(exportTo([output], { output: path.join(dir, 'out.failed.jsonl') })).rejects.toThrow(/export reads that file/);
    await expect(exportTo([output], { output: input })).rejects.toThrow(/it is the input/);
    expect(fs.readFileSync(input, 'utf8')).toBe(before);
    expect(fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('starts a CSV with a byte-order mark when the input had one, or when asked (--bom / --no-bom)', async () => {
    const dir = copyReportFixture('report-basic', tempDir());
    const output = path.join(dir, 'out.jsonl');
    const input = path.join(dir, 'items.csv');
    const plain = await exportTo([output]);
    expect(plain.stdout.startsWith('\uFEFF')).toBe(false);
    expect((await exportTo([output], { bom: true })).stdout.startsWith('\uFEFFid,')).toBe(true);
    expect((await exportTo([output], { bom: true, format: 'jsonl' })).stdout.startsWith('\uFEFF')).toBe(false);

    fs.writeFileSync(input, `\uFEFF${fs.readFileSync(input, 'utf8')}`);
    const target = path.join(tempDir(), 'answers.csv');
    await exportTo([output], { output: target });
    const bytes = fs.readFileSync(target);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8').slice(1)).toBe(plain.stdout);
    expect((await exportTo([output], { bom: false })).stdout).toBe(plain.stdout);
  });

  it('prints notes, e.g. when there is no input to join', async () => {
    const dir = copyReportFixture('report-basic', tempDir());
    fs.rmSync(path.join(dir, 'out.state.json'));
    const { stdout, stderr } = await exportTo([path.join(dir, 'out.jsonl')]);
    expect(stdout.split('\n')[0]).toMatch(/^id,output,/);
    expect(stderr).toMatch(/llm-batch: note: no input to join/);
  });

  it('is a UsageError for a missing output, and for a missing --input', async () => {
    await expect(exportTo([path.join(tempDir(), 'none.jsonl')])).rejects.toThrow(UsageError);
    await expect(exportTo([BASIC], { input: path.join(tempDir(), 'none.csv') })).rejects.toThrow(UsageError);
  });
});
