import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { compileWildcard, expandOutputs } from '../../src/report/expand-outputs.js';
import { useTempDir } from '../journal/temp-dir.js';

describe('compileWildcard', () => {
  it.each([
    ['out-*.jsonl', 'out-1.jsonl', true],
    ['out-*.jsonl', 'out-.jsonl', true],
    ['out-*.jsonl', 'out-1.jsonl.bak', false],
    ['out-?.jsonl', 'out-12.jsonl', false],
    ['out-?.jsonl', 'out-7.jsonl', true],
    ['a.b', 'axb', false],
    ['(x)+[y]', '(x)+[y]', true],
    ['*', 'anything at all', true],
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(compileWildcard(pattern).test(name)).toBe(expected);
  });
});

describe('expandOutputs', () => {
  const tempDir = useTempDir();
  const touch = (...names: string[]) => {
    for (const name of names) fs.writeFileSync(path.join(tempDir(), name), '');
  };

  it('expands shard files in natural order, without side files or hidden files', async () => {
    touch('out-1.jsonl', 'out-2.jsonl', 'out-10.jsonl', 'out-1.failed.jsonl', 'out-1.state.json', 'out-2.lock', '.out-3.jsonl');
    const expanded = await expandOutputs([path.join(tempDir(), 'out-*')]);
    expect(expanded.map((file) => path.basename(file))).toEqual(['out-1.jsonl', 'out-2.jsonl', 'out-10.jsonl']);
  });

  it('supports ? and keeps plain paths as given, dropping duplicates', async () => {
    touch('out-1.jsonl', 'out-2.jsonl', 'out-10.jsonl');
    const plain = path.join(tempDir(), 'out-10.jsonl');
    const expanded = await expandOutputs([plain, path.join(tempDir(), 'out-?.jsonl'), plain]);
    expect(expanded.map((file) => path.basename(file))).toEqual(['out-10.jsonl', 'out-1.jsonl', 'out-2.jsonl']);
  });

  it('keeps a plain path that does not exist (the reader names it)', async () => {
    expect(await expandOutputs(['missing.jsonl'])).toEqual(['missing.jsonl']);
  });

  it('refuses a pattern that matches nothing, a wildcard directory, and no arguments', async () => {
    touch('out-1.jsonl');
    await expect(expandOutputs([path.join(tempDir(), 'shard-*.jsonl')])).rejects.toThrow(UsageError);
    await expect(expandOutputs([path.join(tempDir(), 'nowhere', '*.jsonl')])).rejects.toThrow(/no such directory/);
    await expect(expandOutputs([path.join(tempDir(), '*', 'out.jsonl')])).rejects.toThrow(/file name only/);
    await expect(expandOutputs([])).rejects.toThrow(UsageError);
  });
});
