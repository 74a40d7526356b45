import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { detectFormat } from '../../src/input/detect-format.js';

describe('detectFormat', () => {
  it.each([
    ['items.jsonl', 'jsonl'],
    ['items.ndjson', 'jsonl'],
    ['ITEMS.JSONL', 'jsonl'],
    ['data/items.csv', 'csv'],
    ['items.tsv', 'tsv'],
    ['-', 'jsonl'],
  ])('%s → %s', (path, format) => {
    expect(detectFormat(path)).toBe(format);
  });

  it('lets --format override the extension', () => {
    expect(detectFormat('export.txt', 'tsv')).toBe('tsv');
    expect(detectFormat('-', 'CSV')).toBe('csv');
  });

  it('rejects an unknown extension, naming the file and --format', () => {
    expect(() => detectFormat('items.json')).toThrow(UsageError);
    expect(() => detectFormat('items.json')).toThrow(/^items\.json has an unknown extension "\.json".*--format/);
    expect(() => detectFormat('items')).toThrow(/^items has no extension .*--format/);
  });

  it('rejects an unknown --format value', () => {
    expect(() => detectFormat('a.csv', 'xml')).toThrow('Expected `--format` to be one of jsonl, csv, tsv, got `xml`');
  });
});
