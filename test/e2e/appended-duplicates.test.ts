import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, collect, spawnCli } from '../helpers/cli.js';
import { openaiEnv, readFailures, readResults, useMockServer, writeItems } from '../helpers/e2e.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');
// Slow enough answers that rows can be appended while the run is still reading the input.
const e2e = useMockServer({ latencyMs: 10 });

describe('duplicate ids in rows appended after the pre-scan, end to end', () => {
  it('turns an appended repeat of an id into an input failure naming its line, and answers each id once', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    // Several of the reader's 512-row batches and 256 KiB chunks, so the run is mid-file when rows arrive.
    const items = writeItems(input, 1500, () => ' padding'.repeat(100));
    const out = join(dir, 'out.jsonl');
    const child = spawnCli(['run', input, '-m', 'gpt-4o-mini', '-o', out, '-t', TEMPLATE, '--no-cache', '--quiet', '-c', '4'], {
      env: openaiEnv(e2e.server),
    });
    const finished = collect(child);
    // The first answer on disk means the pre-scan is over.
    await expect.poll(() => existsSync(out) && readFileSync(out, 'utf8').length > 0, { timeout: 30_000, interval: 20 }).toBe(true);
    // One write: the reader may reach the end of the file between two.
    appendFileSync(
      input,
      JSON.stringify({ id: 'item-2', name: 'Again', description: 'a repeat' }) + '\n' +
        JSON.stringify({ id: 'item-1501', name: 'New', description: 'appended' }) + '\n',
    );
    const result = await finished;

    const results = readResults(out);
    const ids = results.map((record) => record.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual([...items.map((item) => item.id), 'item-1501'].sort());
    expect(results.find((record) => record.id === 'item-2')?.output).not.toContain('a repeat');
    const failures = readFailures(out.replace(/\.jsonl$/, '.failed.jsonl'));
    expect(failures.map((record) => [record.id, record.error.class, record.error.message])).toEqual([
      ['item-2', 'input', 'line 1501: duplicate id "item-2" (first seen on line 2)'],
    ]);
    expect(result.code).toBe(1);
  });
});
