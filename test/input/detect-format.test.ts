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
    ['items.json', 'json'],
    ['-', 'jsonl'],
  ])('%s → %s', (path, format) => {
    expect(detectFormat(path)).toBe(format);
  });

  it('lets --format override the extension', () => {
    expect(detectFormat('export.txt', 'tsv')).toBe('tsv');
    expect(detectFormat('-', 'CSV')).toBe('csv');
  });

  it('rejects an unknown extension, naming the file and --format', () => {
    expect(() => detectFormat('items.xml')).toThrow(UsageError);
    expect(() => detectFormat('items.xml')).toThrow(/^items\.xml has an unknown extension "\.xml".*--format/);
    expect(() => detectFormat('items')).toThrow(/^items has no extension .*--format/);
  });

  it('rejects an unknown --format value', () => {
    expect(() => detectFormat('a.csv', 'xml')).toThrow('Expected `--format` to be one of jsonl, csv, tsv, json, got `xml`');
  });
});
