import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, makeTempDir, runCli } from '../helpers/cli.js';
import { readResults } from '../helpers/e2e.js';

let temp: ReturnType<typeof makeTempDir> | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

const TEMPLATE = join(FIXTURES, 'classify.prompt');

describe('mistakes a newcomer makes get helpful answers', () => {
  it('a template variable typo names the line, suggests the field, and lists the fields the item has', async () => {
    const run = await runCli(['run', join(FIXTURES, 'products.csv'), '-p', 'Classify {{nmae}}', '-m', 'mock', '-o', '-']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('line 2: missing template variable "nmae" (did you mean "name"? the item has: id, name, description)');
  });

  it('a model typo gets a suggestion', async () => {
    const run = await runCli(['estimate', join(FIXTURES, 'products.jsonl'), '-t', TEMPLATE, '-m', 'claude-haiku-45x']);
    const typo = await runCli(['estimate', join(FIXTURES, 'products.jsonl'), '-t', TEMPLATE, '-m', 'claud-haiku-4-5']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('did you mean "claude-haiku-4-5"?');
    expect(run.stderr).not.toContain('did you mean "mock"');
  });

  it('reads a .json array of objects, and its default output keeps the extension apart from the .jsonl one', async () => {
    temp = makeTempDir();
    const rows = readFileSync(join(FIXTURES, 'products.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as object);
    const json = join(temp.dir, 'products.json');
    writeFileSync(json, JSON.stringify(rows, null, 2));
    const jsonl = join(temp.dir, 'products.jsonl');
    writeFileSync(jsonl, `${rows.slice(0, 5).map((row) => JSON.stringify(row)).join('\n')}\n`);
    const csv = join(temp.dir, 'products.csv');
    writeFileSync(csv, readFileSync(join(FIXTURES, 'products.csv')));
    for (const input of [json, jsonl, csv]) {
      const run = await runCli(['run', input, '-t', TEMPLATE, '-m', 'mock', '--quiet', '--limit', input === json ? '50' : '5']);
      expect(run.code, run.stderr).toBe(0);
    }
    expect(readResults(join(temp.dir, 'products.json.results.jsonl'))).toHaveLength(50);
    expect(readResults(join(temp.dir, 'products.results.jsonl'))).toHaveLength(5);
    expect(readResults(join(temp.dir, 'products.csv.results.jsonl'))).toHaveLength(5);
  });

  it('a JSONL file named .json gets a hint to use --format jsonl, and --format jsonl then reads it', async () => {
    temp = makeTempDir();
    const input = join(temp.dir, 'items.json');
    writeFileSync(input, readFileSync(join(FIXTURES, 'products.jsonl')));
    const refused = await runCli(['run', input, '-t', TEMPLATE, '-m', 'mock', '--quiet']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--format jsonl');
    const read = await runCli(['run', input, '-t', TEMPLATE, '-m', 'mock', '--quiet', '--format', 'jsonl']);
    expect(read.code).toBe(0);
  });

  it('--sample n --seed s runs a reproducible random sample of n items', async () => {
    const idsOf = async (seed: string) => {
      const run = await runCli(['run', join(FIXTURES, 'products.jsonl'), '-t', TEMPLATE, '-m', 'mock', '--sample', '4', '--seed', seed, '-o', '-', '--quiet']);
      expect(run.code).toBe(0);
      return run.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { id: string }).id).sort();
    };
    const first = await idsOf('1');
    expect(first).toHaveLength(4);
    expect(await idsOf('1')).toEqual(first);
    expect(await idsOf('2')).not.toEqual(first);
  });

  it('an empty input warns in one clear line and exits 0', async () => {
    temp = makeTempDir();
    const input = join(temp.dir, 'empty.jsonl');
    writeFileSync(input, '');
    const run = await runCli(['run', input, '-t', TEMPLATE, '-m', 'mock']);
    expect(run.code).toBe(0);
    expect(run.stderr.split('\n').filter((line) => line.includes('has no items'))).toEqual([`warning: ${input} has no items: nothing to do`]);
    expect(existsSync(join(temp.dir, 'empty.results.jsonl'))).toBe(true);
  });
});
