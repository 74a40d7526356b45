import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { computeCacheKey } from '../../src/cache/cache-key.js';
import { open } from 'lmdb';
import {
  CACHE_FILE_NAME,
  LMDB_OPTIONS,
  openResponseCache,
  type CachedResponse,
  type ResponseCache,
} from '../../src/cache/response-cache.js';
import { UsageError } from '../../src/errors.js';
import type { ChatRequest } from '../../src/providers/types.js';

const FAKE_API_KEY = 'sk-test-FAKEKEY-9f8e7d6c5b4a39281706';

const answer = (text: string): CachedResponse => ({
  completion: {
    text,
    finishReason: 'stop',
    truncated: false,
    usage: { inputTokens: 120, outputTokens: 8, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
    model: 'gpt-4o-mini-2024-07-18',
  },
  storedAt: 1_700_000_000_000,
});

const opened: ResponseCache[] = [];
function openCache(dir: string): ResponseCache {
  const cache = openResponseCache(dir);
  opened.push(cache);
  return cache;
}
const newDir = () => join(mkdtempSync(join(tmpdir(), 'llm-batch-cache-')), 'cache');
const modeOf = (path: string) => statSync(path).mode & 0o777;

afterEach(async () => {
  await Promise.all(opened.splice(0).map((cache) => cache.close().catch(() => {})));
});

describe('openResponseCache', () => {
  it('stores and returns answers across reopening', async () => {
    const dir = newDir();
    const cache = openCache(dir);
    expect(cache.get('k1')).toBeUndefined();
    cache.put('k1', answer('positive'));
    cache.put('k2', answer('negative'));
    await cache.close();
    opened.pop();

    const reopened = openCache(dir);
    expect(reopened.get('k1')).toEqual(answer('positive'));
    expect(reopened.get('k2')?.completion.text).toBe('negative');
    expect(reopened.stats()).toMatchObject({ entries: 2, path: join(dir, CACHE_FILE_NAME) });
    expect(reopened.stats().sizeBytes).toBeGreaterThan(0);
  });

  it('clears every entry', async () => {
    const cache = openCache(newDir());
    cache.put('k', answer('x'));
    await cache.clear();
    expect(cache.get('k')).toBeUndefined();
    expect(cache.stats().entries).toBe(0);
  });

  it('stores and reads a long answer (compressed)', async () => {
    const dir = newDir();
    const cache = openCache(dir);
    const long = answer('lorem ipsum dolor sit amet '.repeat(500));
    cache.put('long', long);
    await cache.close();
    opened.pop();
    expect(openCache(dir).get('long')).toEqual(long);
  });

  it('creates its directory 0700 and its files 0600', async () => {
    const dir = newDir();
    const cache = openCache(dir);
    cache.put('k', answer('x'));
    await cache.close();
    expect(modeOf(dir)).toBe(0o700);
    const files = readdirSync(dir);
    expect(files.sort()).toEqual([CACHE_FILE_NAME, `${CACHE_FILE_NAME}-lock`]);
    for (const file of files) expect(modeOf(join(dir, file))).toBe(0o600);
  });

  it('makes files left readable by an older version private', () => {
    const dir = newDir();
    mkdirSync(dir, { mode: 0o755 });
    for (const file of [CACHE_FILE_NAME, `${CACHE_FILE_NAME}-lock`]) {
      closeSync(openSync(join(dir, file), 'a', 0o644));
      chmodSync(join(dir, file), 0o644);
    }
    openCache(dir);
    expect(modeOf(join(dir, CACHE_FILE_NAME))).toBe(0o600);
    expect(modeOf(join(dir, `${CACHE_FILE_NAME}-lock`))).toBe(0o600);
    // A directory the user chose keeps its own mode.
    expect(modeOf(dir)).toBe(0o755);
  });

  it('throws a UsageError naming the directory when it cannot open', () => {
    const parent = mkdtempSync(join(tmpdir(), 'llm-batch-cache-'));
    const blocker = join(parent, 'file');
    closeSync(openSync(blocker, 'w'));
    expect(() => openResponseCache(join(blocker, 'cache'))).toThrow(UsageError);
    expect(() => openResponseCache(join(blocker, 'cache'))).toThrow(/Cannot open the response cache in .*file\/cache/);
  });

  it('never writes the API key: it is not an input of the key, and values hold only the answer', async () => {
    const dir = newDir();
    const providerConfig = { provider: 'openai' as const, baseUrl: 'https://api.openai.com/v1', apiKey: FAKE_API_KEY };
    const request: ChatRequest = {
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Classify: great headphones' }] }],
      params: { model: 'gpt-4o-mini', extra: {} },
    };
    const cache = openCache(dir);
    const key = computeCacheKey({ ...providerConfig, request });
    cache.put(key, answer('MARKER-positive'));
    await cache.close();

    const bytes = Buffer.concat(readdirSync(dir).map((file) => readFileSync(join(dir, file))));
    expect(bytes.includes('MARKER-positive')).toBe(true); // the grep works…
    expect(bytes.includes(key)).toBe(true);
    expect(bytes.includes(FAKE_API_KEY)).toBe(false); // …and finds no key
    expect(bytes.includes('FAKEKEY')).toBe(false);
  });

  it('commits a burst of puts in few transactions (putSync would commit one each)', async () => {
    const dir = newDir();
    const cache = openCache(dir);
    const count = 5_000;
    for (let i = 0; i < count; i++) cache.put(`key-${i}`, answer(`answer ${i}`));
    await cache.close();
    // Transactions are what cost an fsync each; timing would be flaky on a busy machine, this is not.
    const db = open({ path: join(dir, CACHE_FILE_NAME), ...LMDB_OPTIONS, readOnly: true });
    const { lastTxnId, entryCount } = db.getStats() as { lastTxnId: number; entryCount: number };
    await db.close();
    expect(entryCount).toBe(count);
    expect(lastTxnId).toBeLessThan(count / 10);
  });
});
