import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CACHE_FILE_NAME, LMDB_OPTIONS, openResponseCache } from '../../src/cache/response-cache.js';

const WORKER = fileURLToPath(new URL('./fixtures/cache-worker.mjs', import.meta.url));

function runWorker(dataPath: string, own: string, other: string, count: number) {
  return new Promise<{ seenOwn: number; seenOther: number }>((resolve, reject) => {
    const child = fork(WORKER, [dataPath, JSON.stringify(LMDB_OPTIONS), own, other, String(count)], {
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let report: { seenOwn: number; seenOther: number } | undefined;
    child.on('message', (message) => (report = message as typeof report));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && report ? resolve(report) : reject(new Error(`worker ${own} exited ${code}`))));
  });
}

describe('response cache shared by two processes', () => {
  it('both write concurrently and each reads the other’s entries', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'llm-batch-cache-')), 'cache');
    // The module creates the directory and private files; then two other processes share them.
    const cache = openResponseCache(dir);
    const count = 2_000;
    const [a, b] = await Promise.all([
      runWorker(join(dir, CACHE_FILE_NAME), 'a-', 'b-', count),
      runWorker(join(dir, CACHE_FILE_NAME), 'b-', 'a-', count),
    ]);
    expect(a).toEqual({ seenOwn: count, seenOther: count });
    expect(b).toEqual({ seenOwn: count, seenOther: count });
    // This process, open all along, sees both.
    expect(cache.get('a-0')?.completion.text).toBe('answer for a-0');
    expect(cache.get(`b-${count - 1}`)?.completion.text).toBe(`answer for b-${count - 1}`);
    expect(cache.stats().entries).toBe(2 * count);
    await cache.close();
  });
});
