import { describe, expect, it } from 'vitest';
import { writeRows, type Row } from '../../src/report/write-rows.js';
import { collectStream } from './collect-stream.js';

async function* rowsOf(rows: Row[]): AsyncIterable<Row> {
  for (const row of rows) yield row;
}

async function* failingAfterOne(): AsyncIterable<Row> {
  yield { id: 'a' };
  throw new Error('results file unreadable');
}

describe('writeRows', () => {
  it('writes JSONL as one object per line, in order, through ndjson', async () => {
    const out = collectStream();
    await writeRows('jsonl', rowsOf([{ id: 'a', output: 'Café crème' }, { id: 'b', parsed: { n: 1 } }]), ['id'], out);
    expect(out.text()).toBe('{"id":"a","output":"Café crème"}\n{"id":"b","parsed":{"n":1}}\n');
  });

  it('writes nothing for no rows in JSONL, and an empty array in JSON', async () => {
    const jsonl = collectStream();
    await writeRows('jsonl', rowsOf([]), ['id'], jsonl);
    expect(jsonl.text()).toBe('');
    const json = collectStream();
    await writeRows('json', rowsOf([]), ['id'], json);
    expect(json.text()).toBe('[]\n');
  });

  it('rejects with the source error instead of waiting forever when the rows fail mid-way', async () => {
    await expect(writeRows('jsonl', failingAfterOne(), ['id'], collectStream())).rejects.toThrow('results file unreadable');
  });
});
