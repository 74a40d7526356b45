import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IdRegistry } from '../../src/input/id-registry.js';
import { formatProblems, prescan } from '../../src/input/prescan.js';
import { shardOf } from '../../src/input/shard.js';
import type { Item } from '../../src/input/types.js';
import { loadTemplate } from '../../src/template/load-template.js';
import type { ChatMessage } from '../../src/template/types.js';
import { FIXTURES } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'llm-batch-prescan-'));
const fixture = (name: string) => join(FIXTURES, name);
const classify = () => loadTemplate({ file: fixture('classify.prompt') });

function writeLines(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('prescan', () => {
  it('counts and renders every item of a clean file', async () => {
    const rendered: Array<[Item, ChatMessage[]]> = [];
    const result = await prescan({
      source: { path: fixture('products.jsonl'), format: 'jsonl' },
      template: await classify(),
      onRendered: (item, messages) => rendered.push([item, messages]),
    });
    expect(result).toMatchObject({ total: 50, pending: 50, problems: [], problemCount: 0, duplicates: new Map() });
    expect(rendered).toHaveLength(50);
    expect(rendered[0][0].id).toBe('p001');
    expect(rendered[0][1][1].content[0]).toMatchObject({ text: expect.stringContaining('Wireless Noise-Cancelling') });
  });

  it('scans the CSV twin the same way', async () => {
    const result = await prescan({ source: { path: fixture('products.csv'), format: 'csv' }, template: await classify() });
    expect(result).toMatchObject({ total: 50, pending: 50, problems: [], problemCount: 0, duplicates: new Map() });
  });

  it('reports malformed lines and non-objects with their line numbers', async () => {
    const result = await prescan({ source: { path: fixture('input-malformed.jsonl'), format: 'jsonl' }, template: await classify() });
    expect(result.total).toBe(6);
    expect(result.pending).toBe(4);
    expect(result.problems).toEqual([
      { line: 3, kind: 'input', message: expect.stringMatching(/^malformed JSON \(/) },
      { line: 6, kind: 'input', message: 'expected a JSON object, got an array' },
    ]);
  });

  it('reports missing template variables with line and id', async () => {
    const result = await prescan({ source: { path: fixture('input-missing-variable.jsonl'), format: 'jsonl' }, template: await classify() });
    expect(result.problems).toEqual([
      { line: 2, id: 'm2', kind: 'template', message: 'missing template variable "description" (the item has: id, name)' },
      { line: 4, id: 'm4', kind: 'template', message: 'missing template variable "name" (the item has: id, title, description)' },
    ]);
    expect(result).toMatchObject({ total: 4, pending: 2, problemCount: 2 });
  });

  it('reports duplicate ids naming both lines', async () => {
    const result = await prescan({ source: { path: fixture('input-duplicate-id.jsonl'), format: 'jsonl' }, template: await classify() });
    expect(result.problems).toEqual([
      { line: 3, id: 'd1', kind: 'id', message: 'duplicate id "d1" (first seen on line 1)' },
      { line: 5, id: 'd2', kind: 'id', message: 'duplicate id "d2" (first seen on line 2)' },
    ]);
    // The run rejects the same lines from this map instead of keeping its own registry of every id.
    expect(result.duplicates).toEqual(new Map([[3, 1], [5, 2]]));
    expect(result.pending).toBe(3);
  });

  it('reports items missing the --id-field', async () => {
    const result = await prescan({
      source: { path: fixture('input-missing-id-field.jsonl'), format: 'jsonl', idField: 'sku' },
      template: await classify(),
    });
    expect(result.problems).toEqual([{ line: 3, kind: 'input', message: 'missing id field `sku`' }]);
  });

  it('reports an unusable image as a template problem on its line', async () => {
    const path = writeLines('images.jsonl', ['{"id":"i1","photo":"template-pixel.png"}', '{"id":"i2","photo":"gone.png"}']);
    const template = await loadTemplate({ inline: 'Describe.', imageField: 'photo', imageBaseDir: FIXTURES });
    const result = await prescan({ source: { path, format: 'jsonl' }, template });
    expect(result.problems).toEqual([{ line: 2, id: 'i2', kind: 'template', message: 'cannot read image file "gone.png": no such file' }]);
  });

  it('stops after `limit` valid pending items, skipping bad and done ones in the count', async () => {
    const path = writeLines('limit.jsonl', [
      '{"id":"1","name":"a","description":"x"}',
      '{"id":"2","name":"b"}',
      '{"id":"3","name":"c","description":"x"}',
      '{"id":"4","name":"d","description":"x"}',
      '{"id":"5","name":"e","description":"x"}',
      '{broken',
    ]);
    const result = await prescan({
      source: { path, format: 'jsonl' },
      template: await classify(),
      limit: 2,
      isDone: (id) => id === '3',
    });
    expect(result).toMatchObject({ total: 4, pending: 2, problemCount: 1 });
    expect(result.problems[0]).toMatchObject({ line: 2, kind: 'template' });
  });

  it('counts done items in total but neither renders them nor calls them pending', async () => {
    const rendered: string[] = [];
    const result = await prescan({
      source: { path: fixture('products.jsonl'), format: 'jsonl' },
      template: await classify(),
      isDone: (id) => id < 'p011',
      onRendered: (item) => rendered.push(item.id),
    });
    expect(result).toMatchObject({ total: 50, pending: 40, problemCount: 0 });
    expect(rendered[0]).toBe('p011');
    // Their lines (1–10 in this file) are what the run reads past without parsing.
    expect([1, 10].map((line) => result.doneLines.has(line))).toEqual([true, true]);
    expect(result.doneLines.has(11)).toBe(false);
  });

  it('with claimDone, skips done ids in one lookup and still reports a done id that repeats', async () => {
    const done = new IdRegistry();
    for (const id of ['d1', 'd2']) done.add(id, 0);
    const result = await prescan({
      source: { path: fixture('input-duplicate-id.jsonl'), format: 'jsonl' },
      template: await classify(),
      isDone: (id) => done.has(id),
      claimDone: (id, line) => done.claim(id, line),
    });
    expect(result.problems).toEqual([
      { line: 3, id: 'd1', kind: 'id', message: 'duplicate id "d1" (first seen on line 1)' },
      { line: 5, id: 'd2', kind: 'id', message: 'duplicate id "d2" (first seen on line 2)' },
    ]);
    expect([1, 2].map((line) => result.doneLines.has(line))).toEqual([true, true]);
    expect(result.pending).toBe(1);
  });

  it('scans only the requested shard', async () => {
    const result = await prescan({
      source: { path: fixture('products.jsonl'), format: 'jsonl' },
      template: await classify(),
      shard: { index: 0, count: 3 },
    });
    const ids = Array.from({ length: 50 }, (_, i) => `p${String(i + 1).padStart(3, '0')}`);
    expect(result.total).toBe(ids.filter((id) => shardOf(id, 3) === 0).length);
    expect(result.total).toBeGreaterThan(5);
  });

  it('keeps at most 1000 problems but counts them all, and formats the first 10', async () => {
    const lines = Array.from({ length: 1500 }, (_, i) => (i % 2 === 0 ? `{"id":"x${i}"}` : `{"id":"x${i}","name":"n","description":"d"}`));
    const path = writeLines('many-bad.jsonl', lines);
    const result = await prescan({ source: { path, format: 'jsonl' }, template: await classify() });
    expect(result.problemCount).toBe(750);
    expect(result.problems).toHaveLength(750);
    const error = formatProblems(path, result.problems, result.problemCount);
    expect(error.message).toBe(`${path}: 750 bad items (first 10 shown):`);
    expect(error.details.slice(0, 10)).toEqual(
      Array.from({ length: 10 }, (_, i) => `line ${2 * i + 1}: missing template variable "name" (the item has: id)`),
    );

    const worse = writeLines('more-bad.jsonl', Array.from({ length: 1200 }, () => '{oops'));
    const capped = await prescan({ source: { path: worse, format: 'jsonl' }, template: await classify() });
    expect(capped.problemCount).toBe(1200);
    expect(capped.problems).toHaveLength(1000);
  });
});

describe('prescan: content checks and row-number ids', () => {
  it('names the likely id column when ids are row numbers, and not when an id field is used', async () => {
    const { idSourceOf } = await import('../../src/input/prescan.js');
    const item = (data: Record<string, unknown>) => ({ id: '1', index: 1, line: 2, data });
    expect(idSourceOf(item({ review_id: 'r1', text: 'x' }), undefined)).toEqual({ rowNumbers: true, likelyIdField: 'review_id' });
    expect(idSourceOf(item({ reviewId: 'r1', paid: 'y', valid: 'z' }), undefined)).toEqual({ rowNumbers: true, likelyIdField: 'reviewId' });
    expect(idSourceOf(item({ paid: 'y', valid: 'z', monkey: 1 }), undefined)).toEqual({ rowNumbers: true });
    expect(idSourceOf(item({ id: 1 }), undefined)).toEqual({ rowNumbers: false });
    expect(idSourceOf(item({ review_id: 'r1' }), 'review_id')).toEqual({ rowNumbers: false });
  });
});
