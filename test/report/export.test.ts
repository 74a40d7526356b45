import { parseString } from 'fast-csv';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { exportResults, type ExportOptions } from '../../src/report/export.js';
import { useTempDir } from '../journal/temp-dir.js';
import { collectStream } from './collect-stream.js';
import { copyReportFixture, reportFixture } from './fixture-copy.js';

const BASIC = [reportFixture('report-basic', 'out.jsonl')];
const SHARDS = [reportFixture('report-shards', 'out-1.jsonl'), reportFixture('report-shards', 'out-2.jsonl')];

async function run(options: Partial<ExportOptions> & { outputs: string[] }) {
  const out = collectStream();
  const summary = await exportResults({ format: 'csv', includeFailed: false, out, ...options });
  return { summary, text: out.text() };
}

function parseCsv(text: string): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const rows: string[][] = [];
    parseString<string[], string[]>(text, { headers: false })
      .on('data', (row: string[]) => rows.push(row))
      .on('error', reject)
      .on('end', () => resolve(rows));
  });
}

describe('exportResults', () => {
  const tempDir = useTempDir();

  it('joins results to a quoted CSV input in input order, last record wins, parsed flattened', async () => {
    const { summary, text } = await run({ outputs: BASIC });
    const header = 'id,title,notes,output,parsed.category,parsed.meta.score,parsed.meta.source,parsed.tags,cost_usd,model';
    expect(text).toBe(
      [
        header,
        'a1,Lamp,"line one\nline two",lamp answer,lighting,0.9,x,"[""a"",""b""]",0.0001,gpt-4o-mini-2024-07-18',
        'a2,"Rug ""Persian""","a, b, c",rug answer,home,0.5,,,,gpt-4o-mini-2024-07-18',
        'a4,Shelf,,shelf answer,storage,,,,0.0001,gpt-4o-mini-2024-07-18',
        '',
      ].join('\n'),
    );
    expect(summary).toMatchObject({ rows: 3, done: 3, failed: 0, pending: 0, unmatchedResults: 0 });
    expect(summary.input).toMatch(/items\.csv$/);
    const rows = await parseCsv(text);
    expect(rows[1][2]).toBe('line one\nline two');
    expect(rows[2][1]).toBe('Rug "Persian"');
  });

  it('with includeFailed writes every input row, failed ones with `class: message`', async () => {
    const { summary, text } = await run({ outputs: BASIC, includeFailed: true });
    const rows = await parseCsv(text);
    const error = rows[0].indexOf('error');
    expect(rows.slice(1).map((row) => [row[0], row[3], row[error]])).toEqual([
      ['a3', '', 'bad_request: Invalid "model", see docs'],
      ['a1', 'lamp answer', ''],
      ['a5', '', ''],
      ['a2', 'rug answer', ''],
      ['a4', 'shelf answer', ''],
    ]);
    expect(summary).toMatchObject({ rows: 5, done: 3, failed: 1, pending: 1 });
  });

  it('writes JSON that parses, as one array with typed values', async () => {
    const { text } = await run({ outputs: BASIC, format: 'json', includeFailed: true });
    const rows = JSON.parse(text) as Record<string, unknown>[];
    expect(rows.map((row) => row.id)).toEqual(['a3', 'a1', 'a5', 'a2', 'a4']);
    expect(rows[1]).toMatchObject({ 'parsed.meta.score': 0.9, 'parsed.tags': ['a', 'b'], cost_usd: 0.0001, error: null });
    expect(rows[0]).toMatchObject({ output: null, error: 'bad_request: Invalid "model", see docs' });
    expect(Object.keys(rows[2])).toEqual(Object.keys(rows[1]));
  });

  it('writes an empty JSON array and a header-only CSV when nothing is done', async () => {
    const dir = copyReportFixture('report-basic', tempDir());
    fs.writeFileSync(path.join(dir, 'out.jsonl'), '');
    const outputs = [path.join(dir, 'out.jsonl')];
    expect(JSON.parse((await run({ outputs, format: 'json' })).text)).toEqual([]);
    expect((await run({ outputs })).text).toBe('id,title,notes,output,cost_usd,model\n');
  });

  it('merges shard outputs onto their shared JSONL input (from the state files)', async () => {
    const { summary, text } = await run({ outputs: SHARDS, format: 'jsonl', includeFailed: true });
    const rows = text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.map((row) => row.id)).toEqual(['s1', 's2', 's3', 's4', 's5', 's6']);
    expect(rows.filter((row) => row.output !== null).map((row) => row['parsed.label'])).toEqual(['Ls3', 'Ls4']);
    expect(rows.filter((row) => row.error !== null).map((row) => row.id)).toEqual(['s1', 's2']);
    expect(rows[0].meta).toEqual({ lang: 'en' });
    expect(summary).toMatchObject({ rows: 6, done: 2, failed: 2, pending: 2 });
  });

  it('writes nested JSONL input values as JSON text in CSV, with the union of input keys', async () => {
    const { text } = await run({ outputs: SHARDS });
    const rows = await parseCsv(text);
    expect(rows[0]).toEqual(['id', 'text', 'meta', 'output', 'parsed.label', 'cost_usd', 'model']);
    expect(rows[1].slice(0, 3)).toEqual(['s3', 'item 3', '{"lang":"en"}']);
  });

  it('without an input writes results in file order with an id column', async () => {
    const dir = copyReportFixture('report-basic', tempDir());
    fs.rmSync(path.join(dir, 'out.state.json'));
    const { summary, text } = await run({ outputs: [path.join(dir, 'out.jsonl')], includeFailed: true });
    const rows = await parseCsv(text);
    expect(rows[0].slice(0, 2)).toEqual(['id', 'output']);
    expect(rows.slice(1).map((row) => row[0])).toEqual(['a1', 'a2', 'a4', 'a3']);
    expect(summary.input).toBeNull();
    expect(summary.notes.join(' ')).toMatch(/no input to join/);
  });

  it('renames input columns that clash with result columns, and reports results missing from the input', async () => {
    const dir = copyReportFixture('report-basic', tempDir());
    const input = path.join(dir, 'clash.csv');
    fs.writeFileSync(input, 'id,output,model\na1,mine,m1\n');
    const { summary, text } = await run({ outputs: [path.join(dir, 'out.jsonl')], input });
    const rows = await parseCsv(text);
    expect(rows[0].slice(0, 4)).toEqual(['id', 'input.output', 'input.model', 'output']);
    expect(rows[1].slice(0, 4)).toEqual(['a1', 'mine', 'm1', 'lamp answer']);
    expect(summary.unmatchedResults).toBe(2);
    expect(summary.notes.join(' ')).toMatch(/2 results have ids that are in no input row/);
  });

  it('asks for --input when outputs come from different inputs', async () => {
    const dir = copyReportFixture('report-basic', tempDir());
    await expect(run({ outputs: [path.join(dir, 'out.jsonl'), ...SHARDS] })).rejects.toThrow(/different inputs/);
  });

  it('refuses an unknown format and a missing output', async () => {
    await expect(run({ outputs: BASIC, format: 'xml' as 'csv' })).rejects.toThrow(UsageError);
    await expect(run({ outputs: [path.join(tempDir(), 'none.jsonl')] })).rejects.toThrow(UsageError);
    await expect(run({ outputs: BASIC, inputFormat: 'xml' })).rejects.toThrow(/--input-format/);
    await expect(run({ outputs: BASIC, input: '-' })).rejects.toThrow(/not stdin/);
  });

  it('reads an input without a known extension with inputFormat', async () => {
    const dir = copyReportFixture('report-basic', tempDir());
    const input = path.join(dir, 'items.txt');
    fs.copyFileSync(path.join(dir, 'items.csv'), input);
    await expect(run({ outputs: [path.join(dir, 'out.jsonl')], input })).rejects.toThrow(/--input-format/);
    const { summary } = await run({ outputs: [path.join(dir, 'out.jsonl')], input, inputFormat: 'csv' });
    expect(summary.rows).toBe(3);
  });
});
