import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { loadPriceFile, parsePriceFile } from '../../src/cost/price-file.js';

describe('parsePriceFile', () => {
  it('reads every documented key', () => {
    const file = parsePriceFile(
      '{"m": {"input": 0.15, "output": 0.6, "cached_input": 0.075, "cache_write": 0.1875, "batch_discount": 0.4}}',
      'p.json',
    );
    expect(file.get('m')).toEqual({ input: 0.15, output: 0.6, cachedInput: 0.075, cacheWrite: 0.1875, batchDiscount: 0.4 });
  });

  it.each([
    ['{not json', /p\.json is not valid JSON/],
    ['[]', /p\.json must be a JSON object.*got an array/],
    ['{"m": 3}', /p\.json, model "m": expected an object/],
    ['{"m": {"input": 1}}', /model "m": "output" is required/],
    ['{"m": {"input": 1, "ouput": 2}}', /unknown key "ouput"/],
    ['{"m": {"input": -1, "output": 2}}', /"input" to be a number/],
    ['{"m": {"input": "0.1", "output": 2}}', /"input" to be a number.*"0\.1"/],
  ])('rejects %s', (text, message) => {
    expect(() => parsePriceFile(text, 'p.json')).toThrow(UsageError);
    expect(() => parsePriceFile(text, 'p.json')).toThrow(message);
  });
});

describe('loadPriceFile', () => {
  it('loads a file from disk', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'llm-batch-prices-')), 'prices.json');
    writeFileSync(path, '{"m": {"input": 1, "output": 2}}');
    expect((await loadPriceFile(path)).get('m')).toEqual({ input: 1, output: 2 });
  });

  it('names a missing file', async () => {
    await expect(loadPriceFile('/nonexistent/prices.json')).rejects.toThrow(
      /Cannot read price file \/nonexistent\/prices\.json/,
    );
  });
});
