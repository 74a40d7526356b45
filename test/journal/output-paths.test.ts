import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { defaultOutputPath, outputPathsFor } from '../../src/journal/output-paths.js';

describe('outputPathsFor', () => {
  it.each([
    ['out.jsonl', 'out.failed.jsonl', 'out.state.json', 'out.lock'],
    ['out.ndjson', 'out.failed.jsonl', 'out.state.json', 'out.lock'],
    ['out.json', 'out.failed.jsonl', 'out.state.json', 'out.lock'],
    ['OUT.JSONL', 'OUT.failed.jsonl', 'OUT.state.json', 'OUT.lock'],
    ['x.results.jsonl', 'x.results.failed.jsonl', 'x.results.state.json', 'x.results.lock'],
    ['dir/out', 'dir/out.failed.jsonl', 'dir/out.state.json', 'dir/out.lock'],
    ['a.b/out.txt', 'a.b/out.txt.failed.jsonl', 'a.b/out.txt.state.json', 'a.b/out.txt.lock'],
  ])('%s', (results, failed, state, lock) => {
    expect(outputPathsFor(results)).toEqual({ results, failed, state, lock });
  });
});

describe('defaultOutputPath', () => {
  it.each([
    ['items.jsonl', 'items.results.jsonl'],
    ['data/items.csv', path.join('data', 'items.csv.results.jsonl')],
    ['items.ndjson', 'items.ndjson.results.jsonl'],
    ['items.JSONL', 'items.results.jsonl'],
    ['/abs/x.y.tsv', '/abs/x.y.tsv.results.jsonl'],
    ['noext', 'noext.results.jsonl'],
  ])('%s → %s', (input, expected) => {
    expect(defaultOutputPath(input)).toBe(expected);
  });

  it('refuses stdin, which has no place beside it', () => {
    expect(() => defaultOutputPath('-')).toThrow(UsageError);
  });
});
