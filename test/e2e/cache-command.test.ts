import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, runCli } from '../helpers/cli.js';

let temp: ReturnType<typeof makeTempDir>;
afterEach(() => temp?.cleanup());

describe('llm-batch cache', () => {
  it('stats counts entries; clear needs --yes, then empties the cache', async () => {
    temp = makeTempDir();
    const cacheDir = join(temp.dir, 'cache');
    const run = await runCli(['run', 'fixtures/products.jsonl', '-t', 'fixtures/classify.prompt', '-m', 'mock', '-o', join(temp.dir, 'o.jsonl'), '--cache-dir', cacheDir, '--limit', '5', '--quiet']);
    expect(run.code).toBe(0);
    const stats = await runCli(['cache', 'stats', '--cache-dir', cacheDir, '--json']);
    expect(JSON.parse(stats.stdout)).toMatchObject({ entries: 5 });

    const refused = await runCli(['cache', 'clear', '--cache-dir', cacheDir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    expect(JSON.parse((await runCli(['cache', 'stats', '--cache-dir', cacheDir, '--json'])).stdout)).toMatchObject({ entries: 5 });

    const cleared = await runCli(['cache', 'clear', '--cache-dir', cacheDir, '--yes']);
    expect(cleared.code).toBe(0);
    expect(JSON.parse((await runCli(['cache', 'stats', '--cache-dir', cacheDir, '--json'])).stdout)).toMatchObject({ entries: 0 });
  });
});
