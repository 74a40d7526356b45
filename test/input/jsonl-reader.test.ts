import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseJsonLine, readJsonlRows } from '../../src/input/jsonl-reader.js';
import type { RawRow } from '../../src/input/raw-row.js';

async function readAll(chunks: Array<string | Buffer>): Promise<RawRow[]> {
  const rows: RawRow[] = [];
  for await (const batch of readJsonlRows(Readable.from(chunks.map((chunk) => Buffer.from(chunk))))) {
    rows.push(...batch);
  }
  return rows;
}

describe('readJsonlRows', () => {
  it('passes over the lines it is asked to skip without parsing them, keeping their line numbers', async () => {
    const rows: RawRow[] = [];
    const skip = { has: (line: number) => line === 2 || line === 3 };
    for await (const batch of readJsonlRows(Readable.from([Buffer.from('{"a":1}\n{"a":\n{"a":3}\n{"a":4}\n')]), skip)) rows.push(...batch);
    // Line 2 is malformed: skipped, it is not parsed, so it is not reported either.
    expect(rows).toEqual([
      { kind: 'row', line: 1, data: { a: 1 } },
      { kind: 'skipped', line: 2 },
      { kind: 'skipped', line: 3 },
      { kind: 'row', line: 4, data: { a: 4 } },
    ]);
  });

  it('reads one object per line with 1-based line numbers, skipping blank lines', async () => {
    const rows = await readAll(['{"a":1}\n\n   \n{"a":2}\n\t\n{"a":3}']);
    expect(rows).toEqual([
      { kind: 'row', line: 1, data: { a: 1 } },
      { kind: 'row', line: 4, data: { a: 2 } },
      { kind: 'row', line: 6, data: { a: 3 } },
    ]);
  });

  it('strips a UTF-8 BOM and handles CRLF line endings', async () => {
    const rows = await readAll(['\uFEFF{"id":"x"}\r\n{"id":"y"}\r\n']);
    expect(rows).toEqual([
      { kind: 'row', line: 1, data: { id: 'x' } },
      { kind: 'row', line: 2, data: { id: 'y' } },
    ]);
  });

  it('decodes multi-byte characters split across chunks', async () => {
    const bytes = Buffer.from('{"name":"Crème brûlée 日本 🦖"}\n{"name":"b"}\n');
    const chunks = [...bytes].map((byte) => Buffer.from([byte]));
    const rows = await readAll(chunks);
    expect(rows.map((row) => (row.kind === 'row' ? row.data.name : row.kind))).toEqual(['Crème brûlée 日本 🦖', 'b']);
  });

  it('turns malformed lines and non-objects into bad rows with their line, and keeps going', async () => {
    const rows = await readAll(['{"a":1}\n{"a":\n[1,2]\n42\n"text"\nnull\n{"a":2}\n']);
    expect(rows.map((row) => [row.kind, row.line])).toEqual([
      ['row', 1],
      ['bad', 2],
      ['bad', 3],
      ['bad', 4],
      ['bad', 5],
      ['bad', 6],
      ['row', 7],
    ]);
    const messages = rows.filter((row) => row.kind === 'bad').map((row) => (row.kind === 'bad' ? row.message : ''));
    expect(messages[0]).toMatch(/^malformed JSON \(.+\)$/);
    expect(messages.slice(1)).toEqual([
      'expected a JSON object, got an array',
      'expected a JSON object, got a number',
      'expected a JSON object, got a string',
      'expected a JSON object, got null',
    ]);
  });

  it('keeps the reason for a malformed line short', () => {
    const row = parseJsonLine(`{"a": ${'x'.repeat(500)}}`, 9);
    expect(row.kind).toBe('bad');
    if (row.kind === 'bad') expect(row.message.length).toBeLessThan(130);
  });

  it('delivers rows in batches and reads a large input completely', async () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `{"n":${i}}`).join('\n');
    let batches = 0;
    let count = 0;
    for await (const batch of readJsonlRows(Readable.from([Buffer.from(lines)]))) {
      batches += 1;
      count += batch.length;
    }
    expect(count).toBe(10_000);
    expect(batches).toBeLessThan(100);
  });
});
