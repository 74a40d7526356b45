import { describe, expect, it } from 'vitest';
import { IdRegistry } from '../../src/input/id-registry.js';
import { findIdFast, findRequestHashFast } from '../../src/journal/fast-id.js';
import { computeRequestHash, tagOfHexBytes, tagOfRequestHash } from '../../src/journal/request-hash.js';
import { toResultRecord } from '../../src/journal/result-record.js';
import { computeCacheKey } from '../../src/cache/cache-key.js';

const request = { messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hello' }] }], params: { model: 'gpt-4o-mini', extra: {} } };
const usage = { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };

describe('request hash', () => {
  it('is the head of the cache key, so a run with the cache on computes it once', () => {
    const input = { provider: 'openai' as const, baseUrl: 'https://api.openai.com/v1', request };
    expect(computeRequestHash(input)).toBe(computeCacheKey(input).slice(0, 16));
  });

  it('changes with the content asked', () => {
    const base = { provider: 'openai' as const, baseUrl: 'x' };
    const edited = { ...request, messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hello!' }] }] };
    expect(computeRequestHash({ ...base, request })).not.toBe(computeRequestHash({ ...base, request: edited }));
  });

  it('is written second in a result line and read back as the same tag without parsing', () => {
    const hash = 'a1b2c3d4e5f60718';
    const record = toResultRecord({ id: 'x-1', requestHash: hash, output: 'ok', model: 'm', usage, costUsd: 0, attempts: 1, latencyMs: 1, cached: false, finishReason: 'stop', mode: 'realtime', ts: 't' });
    const line = Buffer.from(JSON.stringify(record));
    expect(Object.keys(record).slice(0, 2)).toEqual(['id', 'request_hash']);
    const idEnd = findIdFast(line, 0, line.length);
    const hashAt = findRequestHashFast(line, idEnd, line.length);
    expect(tagOfHexBytes(line, hashAt)).toBe(tagOfRequestHash(hash));
  });

  it('a record without a hash (older outputs) gives no tag: nothing to compare', () => {
    const line = Buffer.from('{"id":"a","output":"x"}');
    expect(findRequestHashFast(line, findIdFast(line, 0, line.length), line.length)).toBe(-1);
  });

  it('a tag is never 0, which means "no hash"', () => {
    expect(tagOfRequestHash('0000000000000000')).not.toBe(0);
    expect(tagOfHexBytes(Buffer.from('00000000'), 0)).not.toBe(0);
    expect(tagOfHexBytes(Buffer.from('zz000000'), 0)).toBe(0);
  });
});

describe('IdRegistry tags', () => {
  it('keeps the latest tag of an id written twice (a redone item), and 0 for unknown ids', () => {
    const registry = new IdRegistry();
    registry.addTagged('a', 0, 7);
    registry.addTagged('a', 0, 9);
    registry.add('b', 3);
    expect(registry.tagOf('a')).toBe(9);
    expect(registry.tagOf('b')).toBe(0);
    expect(registry.tagOf('zzz')).toBe(0);
    expect(registry.size).toBe(2);
  });
});
