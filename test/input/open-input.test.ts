import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { readInput, type ReadInputOptions } from '../../src/input/open-input.js';
import { shardOf } from '../../src/input/shard.js';
import type { InputEvent, InputFormat, InputSource } from '../../src/input/types.js';
import { FIXTURES } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'llm-batch-input-'));
const folder = join(dir, 'folder.csv');
mkdirSync(folder);

function writeInput(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function collect(source: InputSource, options?: ReadInputOptions): Promise<InputEvent[]> {
  const events: InputEvent[] = [];
  for await (const event of readInput(source, options)) events.push(event);
  return events;
}

function summarize(events: InputEvent[]): Array<[string, string | undefined, number]> {
  return events.map((event) =>
    event.kind === 'item' ? ['item', event.item.id, event.item.line] : ['bad', event.row.message, event.row.line],
  );
}

describe('readInput', () => {
  it('uses the `id` key when the first item has one; ids are strings', async () => {
    const path = writeInput('ids.jsonl', '{"id":"a","x":1}\n{"id":7,"x":2}\n');
    const events = await collect({ path, format: 'jsonl' });
    expect(events).toEqual([
      { kind: 'item', item: { id: 'a', index: 1, line: 1, data: { id: 'a', x: 1 } } },
      { kind: 'item', item: { id: '7', index: 2, line: 2, data: { id: 7, x: 2 } } },
    ]);
  });

  it('falls back to the 1-based row number when the first item has no `id`', async () => {
    const path = writeInput('rows.jsonl', '{"x":1}\n\n{"x":2}\n{"id":"late","x":3}\n');
    expect(summarize(await collect({ path, format: 'jsonl' }))).toEqual([
      ['item', '1', 1],
      ['item', '2', 3],
      ['item', '3', 4],
    ]);
  });

  it('makes an item without the `id` key a bad row once the first item had one', async () => {
    const path = writeInput('some-ids.jsonl', '{"id":"a"}\n{"x":1}\n{"id":null}\n{"id":""}\n{"id":true}\n');
    expect(summarize(await collect({ path, format: 'jsonl' }))).toEqual([
      ['item', 'a', 1],
      ['bad', 'missing id field `id`', 2],
      ['bad', 'missing id field `id`', 3],
      ['bad', 'missing id field `id`', 4],
      ['bad', 'id field `id` must be a string or a number, got a boolean', 5],
    ]);
  });

  it('reads ids from --id-field and reports items missing it', async () => {
    const path = join(FIXTURES, 'input-missing-id-field.jsonl');
    expect(summarize(await collect({ path, format: 'jsonl', idField: 'sku' }))).toEqual([
      ['item', 's1', 1],
      ['item', 's2', 2],
      ['bad', 'missing id field `sku`', 3],
      ['item', 's4', 4],
    ]);
  });

  it('counts malformed rows in the index so row-number ids stay stable', async () => {
    const path = writeInput('broken.jsonl', '{"x":1}\n{oops\n{"x":3}\n');
    const events = await collect({ path, format: 'jsonl' });
    expect(events[2]).toMatchObject({ kind: 'item', item: { id: '3', index: 3, line: 3 } });
  });

  it('reads CSV and TSV files with the same id rules', async () => {
    const csv = writeInput('items.csv', 'id,name\nx1,"a, b"\nx2,c\n');
    const tsv = writeInput('items.tsv', 'name\tcolour\nlamp\tred\n');
    expect(summarize(await collect({ path: csv, format: 'csv' }))).toEqual([
      ['item', 'x1', 2],
      ['item', 'x2', 3],
    ]);
    expect(await collect({ path: tsv, format: 'tsv' })).toEqual([
      { kind: 'item', item: { id: '1', index: 1, line: 2, data: { name: 'lamp', colour: 'red' } } },
    ]);
  });

  it('reads stdin when the path is `-`', async () => {
    const stdin = Readable.from([Buffer.from('{"id":"s1"}\n{"id":"s2"}\n')]);
    expect(summarize(await collect({ path: '-', format: 'jsonl' }, { stdin }))).toEqual([
      ['item', 's1', 1],
      ['item', 's2', 2],
    ]);
  });

  it('yields only the items of the requested shard, keeping indexes and bad rows', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify({ x: i }));
    lines.splice(50, 0, '{broken');
    const path = writeInput('sharded.jsonl', `${lines.join('\n')}\n`);
    const all = await collect({ path, format: 'jsonl' });
    const shardEvents = await collect({ path, format: 'jsonl' }, { shard: { index: 1, count: 3 } });
    const expected = all.filter((event) => event.kind === 'bad-row' || shardOf(event.item.id, 3) === 1);
    expect(shardEvents).toEqual(expected);
    expect(shardEvents.some((event) => event.kind === 'bad-row')).toBe(true);
  });

  it('passes over skipped lines, which still count toward the row-number ids of the rest', async () => {
    const path = writeInput('skipping.jsonl', '{"x":1}\n{"x":2}\n{"x":3}\n');
    const events = await collect({ path, format: 'jsonl' }, { skipLines: { has: (line) => line === 2 } });
    expect(events.map((event) => (event.kind === 'item' ? [event.item.id, event.item.index, event.item.line] : event.kind))).toEqual([
      ['1', 1, 1],
      ['3', 3, 3],
    ]);
  });

  it.each<[string, string, InputFormat]>([
    ['a missing file', join(dir, 'nope.jsonl'), 'jsonl'],
    ['a directory', folder, 'csv'],
  ])('throws a UsageError for %s', async (_, path, format) => {
    const failure = collect({ path, format });
    await expect(failure).rejects.toBeInstanceOf(UsageError);
    await expect(failure).rejects.toThrow(new RegExp(`^cannot read input file ${path}: (no such file|is a directory)$`));
  });

  it('stops reading and releases the file when the consumer stops early', async () => {
    const path = writeInput('many.jsonl', Array.from({ length: 50_000 }, (_, i) => `{"n":${i}}`).join('\n'));
    let seen = 0;
    for await (const event of readInput({ path, format: 'jsonl' })) {
      if (event.kind === 'item') seen += 1;
      if (seen === 10) break;
    }
    expect(seen).toBe(10);
  });
});

describe('readInput: failures while reading', () => {
  it.each<[InputFormat, string]>([
    ['jsonl', '{"id":"a"}\n'],
    ['csv', 'id\na\n'],
  ])('turns a %s stream error into a UsageError naming the input', async (format, text) => {
    const stdin = new Readable({ read() {} });
    stdin.push(Buffer.from(text));
    setTimeout(() => stdin.destroy(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' })), 10);
    const failure = collect({ path: '-', format }, { stdin });
    await expect(failure).rejects.toBeInstanceOf(UsageError);
    await expect(failure).rejects.toThrow('cannot read input file stdin: EIO: i/o error, read');
  });

  it('reads an empty file and a header-only CSV as no items', async () => {
    expect(await collect({ path: writeInput('empty.jsonl', ''), format: 'jsonl' })).toEqual([]);
    expect(await collect({ path: writeInput('header.csv', 'id,name\n'), format: 'csv' })).toEqual([]);
  });

  it('leaves no listeners on stdin after reading it', async () => {
    const stdin = Readable.from([Buffer.from('{"id":"a"}\n')]);
    await collect({ path: '-', format: 'jsonl' }, { stdin });
    expect(stdin.listenerCount('error')).toBe(0);
  });
});
