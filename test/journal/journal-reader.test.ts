import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalWriter } from '../../src/journal/journal-writer.js';
import { readJournal, scanJournal, type InvalidLine } from '../../src/journal/journal-reader.js';
import { repairTornTail } from '../../src/journal/torn-tail.js';
import { useTempDir } from './temp-dir.js';

const tempDir = useTempDir();
const TORN_FIXTURE = path.resolve('fixtures/journal-torn.jsonl');

async function readAll(file: string, invalid: InvalidLine[] = []) {
  const out: { record: unknown; line: number }[] = [];
  for await (const entry of readJournal(file, { onInvalidLine: (line) => invalid.push(line) })) out.push(entry);
  return out;
}

function write(name: string, text: string): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, text);
  return file;
}

const ids = (entries: { record: unknown }[]) => entries.map((entry) => (entry.record as { id: string }).id);

describe('readJournal', () => {
  it('drops the torn last line of the fixture', async () => {
    const invalid: InvalidLine[] = [];
    const entries = await readAll(TORN_FIXTURE, invalid);
    expect(ids(entries)).toEqual(['item-1', 'item-2', 'item-3']);
    expect(entries.map((entry) => entry.line)).toEqual([1, 2, 3]);
    expect(invalid).toEqual([]);
    const stats = await scanJournal(TORN_FIXTURE, () => true);
    expect(stats.records).toBe(4);
  });

  it('reports the torn tail through scan stats', async () => {
    const stats = await scanJournal(TORN_FIXTURE, (buffer, start, end) => {
      try {
        JSON.parse(buffer.toString('utf8', start, end));
        return true;
      } catch {
        return false;
      }
    });
    expect(stats).toEqual({ records: 3, invalidLines: 0, tornTail: true });
  });

  it('skips blank lines, reports a damaged middle line and drops an unparsable last line', async () => {
    const file = write('j.jsonl', '{"id":"a"}\n\n   \n{"id":"b"\n{"id":"c"}\r\nnot json\n');
    const invalid: InvalidLine[] = [];
    const entries = await readAll(file, invalid);
    expect(ids(entries)).toEqual(['a', 'c']);
    expect(entries.map((entry) => entry.line)).toEqual([1, 5]);
    expect(invalid).toEqual([{ line: 4, text: '{"id":"b"' }]);
  });

  it('keeps a complete last record that only lacks its newline', async () => {
    const entries = await readAll(write('j.jsonl', '{"id":"a"}\n{"id":"b"}'));
    expect(ids(entries)).toEqual(['a', 'b']);
  });

  it('reads a missing file as empty', async () => {
    expect(await readAll(path.join(tempDir(), 'missing.jsonl'))).toEqual([]);
  });

  it('reads lines longer than its read buffer and across read boundaries', async () => {
    const long = 'x'.repeat(3 * 1024 * 1024);
    const lines = [{ id: 'a', output: long }, ...Array.from({ length: 5000 }, (_, i) => ({ id: `n${i}` }))];
    const file = write('big.jsonl', lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
    const entries = await readAll(file);
    expect(entries).toHaveLength(lines.length);
    expect((entries[0].record as { output: string }).output).toHaveLength(long.length);
    expect(ids(entries).slice(-1)).toEqual(['n4999']);
  });
});

describe('repairTornTail', () => {
  it('cuts the torn line off the fixture so appending starts on a fresh line', async () => {
    const file = path.join(tempDir(), 'out.jsonl');
    fs.copyFileSync(TORN_FIXTURE, file);
    const before = fs.statSync(file).size;
    const repair = await repairTornTail(file);
    const text = fs.readFileSync(file, 'utf8');
    expect(repair.repaired).toBe(true);
    expect(repair.droppedBytes).toBe(before - text.length);
    expect(text.endsWith('"ts":"2025-05-01T10:00:03.000Z"}\n')).toBe(true);

    const writer = JournalWriter.open(file);
    writer.append({ id: 'item-4', output: 'again' });
    writer.close();
    expect(ids(await readAll(file))).toEqual(['item-1', 'item-2', 'item-3', 'item-4']);
    expect(await repairTornTail(file)).toEqual({ repaired: false, droppedBytes: 0 });
  });

  it.each([
    ['clean file', '{"id":"a"}\n', '{"id":"a"}\n', { repaired: false, droppedBytes: 0 }],
    ['empty file', '', '', { repaired: false, droppedBytes: 0 }],
    ['only a torn line', '{"id":"a","x', '', { repaired: true, droppedBytes: 12 }],
    ['complete record without newline', '{"id":"a"}\n{"id":"b"}', '{"id":"a"}\n{"id":"b"}\n', { repaired: true, droppedBytes: 0 }],
    ['unparsable last line', '{"id":"a"}\n{"id":\n', '{"id":"a"}\n', { repaired: true, droppedBytes: 7 }],
    ['unparsable line before blank lines', '{"id":"a"}\n{"i\n\n\n', '{"id":"a"}\n', { repaired: true, droppedBytes: 6 }],
    ['trailing blank lines only', '{"id":"a"}\n\n', '{"id":"a"}\n\n', { repaired: false, droppedBytes: 0 }],
    ['whitespace without newline', '{"id":"a"}\n  ', '{"id":"a"}\n', { repaired: true, droppedBytes: 2 }],
  ])('%s', async (_name, text, expected, result) => {
    const file = write('j.jsonl', text);
    expect(await repairTornTail(file)).toEqual(result);
    expect(fs.readFileSync(file, 'utf8')).toBe(expected);
  });

  it('finds the start of a last line longer than its backward step', async () => {
    const torn = `{"id":"b","output":"${'y'.repeat(200_000)}`;
    const file = write('j.jsonl', `{"id":"a"}\n${torn}`);
    expect(await repairTornTail(file)).toEqual({ repaired: true, droppedBytes: torn.length });
    expect(fs.readFileSync(file, 'utf8')).toBe('{"id":"a"}\n');
  });

  it('does nothing to a missing file', async () => {
    expect(await repairTornTail(path.join(tempDir(), 'missing.jsonl'))).toEqual({ repaired: false, droppedBytes: 0 });
  });
});
