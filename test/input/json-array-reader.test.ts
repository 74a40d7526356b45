import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { readJsonArrayRows } from '../../src/input/json-array-reader.js';
import type { RawRow } from '../../src/input/raw-row.js';

async function rowsOf(chunks: string[]): Promise<RawRow[]> {
  const rows: RawRow[] = [];
  for await (const batch of readJsonArrayRows(Readable.from(chunks.map((chunk) => Buffer.from(chunk))), 'items.json')) rows.push(...batch);
  return rows;
}

describe('readJsonArrayRows', () => {
  it('reads each object of a pretty-printed array with the line it starts on', async () => {
    const text = '\uFEFF[\n  {"id": "a", "text": "x, y ] }"},\n  {\n    "id": "b",\n    "nested": {"k": [1, 2]}\n  }\n]\n';
    expect(await rowsOf([text])).toEqual([
      { kind: 'row', line: 2, data: { id: 'a', text: 'x, y ] }' } },
      { kind: 'row', line: 3, data: { id: 'b', nested: { k: [1, 2] } } },
    ]);
  });

  it('gives the same rows whatever the chunking, even one character at a time (strings with escapes too)', async () => {
    const text = '[{"id":"a","q":"say \\"hi\\" \\\\"},{"id":"b","é":"ü"}]';
    const whole = await rowsOf([text]);
    expect(whole).toHaveLength(2);
    expect(await rowsOf([...text])).toEqual(whole);
  });

  it('reports an element that is not an object as a bad row, and goes on', async () => {
    expect(await rowsOf(['[{"id":1},\n 42,\n "s",\n {"id":2}]'])).toEqual([
      { kind: 'row', line: 1, data: { id: 1 } },
      { kind: 'bad', line: 2, message: 'expected a JSON object, got a number' },
      { kind: 'bad', line: 3, message: 'expected a JSON object, got a string' },
      { kind: 'row', line: 4, data: { id: 2 } },
    ]);
  });

  it('reads an empty file and an empty array as no items', async () => {
    expect(await rowsOf([''])).toEqual([]);
    expect(await rowsOf([' [ ] \n'])).toEqual([]);
  });

  it.each([
    ['{"id":1}\n{"id":2}\n', /expected a JSON array of objects.*--format jsonl/],
    ['[{"id":1},]', /trailing comma/],
    ['[{"id":1} {"id":2}]', /missing ","/],
    ['[{"id":1}', /not closed/],
    ['[{"id":1}] x', /after the end of the array/],
  ])('refuses %j with a UsageError saying what is wrong', async (text, message) => {
    const error = await rowsOf([text]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
  });
});
