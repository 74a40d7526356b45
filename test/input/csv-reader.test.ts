import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { readCsvRows } from '../../src/input/csv-reader.js';
import type { RawRow } from '../../src/input/raw-row.js';
import { FIXTURES } from '../helpers/cli.js';

async function readAll(text: string | Buffer[], delimiter: ',' | '\t' = ','): Promise<RawRow[]> {
  const chunks = typeof text === 'string' ? [Buffer.from(text)] : text;
  const rows: RawRow[] = [];
  for await (const batch of readCsvRows(Readable.from(chunks), { delimiter, label: 'x.csv' })) rows.push(...batch);
  return rows;
}

describe('readCsvRows', () => {
  it('keys rows by the header, values as strings, with RFC 4180 quoting', async () => {
    const rows = await readAll('id,name,price\n1,"Lamp, LED","He said ""hi"""\n2,Mug,3.50\n');
    expect(rows).toEqual([
      { kind: 'row', line: 2, data: { id: '1', name: 'Lamp, LED', price: 'He said "hi"' } },
      { kind: 'row', line: 3, data: { id: '2', name: 'Mug', price: '3.50' } },
    ]);
  });

  it('reports the physical line where each row starts, counting embedded newlines', async () => {
    const rows = await readAll('id,text\n1,"two\nlines"\n2,"three\r\nlines\nhere"\n3,plain\n');
    expect(rows.map((row) => row.line)).toEqual([2, 4, 7]);
    expect(rows[0]).toMatchObject({ data: { text: 'two\nlines' } });
  });

  it('strips a BOM and handles CRLF', async () => {
    const rows = await readAll('\uFEFFid,name\r\n1,a\r\n2,b\r\n');
    expect(rows).toEqual([
      { kind: 'row', line: 2, data: { id: '1', name: 'a' } },
      { kind: 'row', line: 3, data: { id: '2', name: 'b' } },
    ]);
  });

  it('reads UTF-8 split across chunks', async () => {
    const bytes = Buffer.from('id,name\n1,Crème brûlée 日本 🦖\n');
    const rows = await readAll([...bytes].map((byte) => Buffer.from([byte])));
    expect(rows).toEqual([{ kind: 'row', line: 2, data: { id: '1', name: 'Crème brûlée 日本 🦖' } }]);
  });

  it('reads TSV', async () => {
    const rows = await readAll('id\tname\n1\tLamp, LED\n', '\t');
    expect(rows).toEqual([{ kind: 'row', line: 2, data: { id: '1', name: 'Lamp, LED' } }]);
  });

  it('makes rows with the wrong column count bad rows and skips blank lines without losing count', async () => {
    const rows = await readAll('a,b\n1,2\n\n3\n4,5,6\n7,8\n');
    expect(rows).toEqual([
      { kind: 'row', line: 2, data: { a: '1', b: '2' } },
      { kind: 'bad', line: 4, message: 'expected 2 columns, got 1' },
      { kind: 'bad', line: 5, message: 'expected 2 columns, got 3' },
      { kind: 'row', line: 6, data: { a: '7', b: '8' } },
    ]);
  });

  it('rejects a duplicate header column', async () => {
    await expect(readAll('id,name,id\n1,a,2\n')).rejects.toThrow(
      new UsageError('x.csv: duplicate column "id" in the header on line 1'),
    );
  });

  it('turns broken quoting into a UsageError naming the file and line', async () => {
    const failure = readAll('a,b\n1,2\n3,"open\n4,5\n');
    await expect(failure).rejects.toBeInstanceOf(UsageError);
    await expect(failure).rejects.toThrow(/^x\.csv: malformed CSV at or after line \d+: /);
  });

  it('reads the products fixture like its JSONL twin', async () => {
    const rows = await readAll(readFileSync(join(FIXTURES, 'products.csv'), 'utf8'));
    const jsonl = readFileSync(join(FIXTURES, 'products.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(rows.map((row) => (row.kind === 'row' ? row.data : row))).toEqual(jsonl);
    // p049 has an embedded newline, so p050 starts two lines further down.
    expect(rows.at(-1)?.line).toBe(52);
  });
});
