import { describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../../src/cli/resolve-run-config.js';
import type { RunFlags } from '../../src/cli/run-options.js';
import { UsageError } from '../../src/errors.js';

const flags = (extra: Partial<RunFlags> = {}): RunFlags => ({
  prompt: 'Say {{name}}',
  model: 'mock',
  onBadItem: 'fail',
  concurrency: 4,
  maxRetries: 2,
  timeout: 30,
  maxWait: 60,
  mode: 'realtime',
  cache: false,
  progressInterval: 10,
  ...extra,
});

const resolve = (extra: Partial<RunFlags>, env: Record<string, string> = {}) =>
  resolveRunConfig('items.jsonl', flags(extra), { env, homedir: '/tmp', args: [] }).then((resolved) => resolved.config);

describe('--redis and --budget-key', () => {
  it('takes --redis over LLM_BATCH_REDIS_URL, and neither means unshared', async () => {
    expect((await resolve({})).redisUrl).toBeUndefined();
    expect((await resolve({}, { LLM_BATCH_REDIS_URL: 'redis://env:6379' })).redisUrl).toBe('redis://env:6379');
    expect((await resolve({ redis: 'redis://flag:6379' }, { LLM_BATCH_REDIS_URL: 'redis://env:6379' })).redisUrl).toBe('redis://flag:6379');
  });

  it('refuses a URL that is not redis:// before anything runs', async () => {
    await expect(resolve({ redis: 'http://cache:6379' })).rejects.toThrow(UsageError);
  });

  it('shares a budget only with --budget-key, which needs --budget and Redis', async () => {
    const shared = await resolve({ redis: 'redis://cache:6379', budget: 5, budgetKey: 'nightly' });
    expect(shared).toMatchObject({ budgetUsd: 5, budgetKey: 'nightly', redisUrl: 'redis://cache:6379' });
    await expect(resolve({ redis: 'redis://cache:6379', budgetKey: 'nightly' })).rejects.toThrow(/give --budget/);
    await expect(resolve({ budget: 5, budgetKey: 'nightly' })).rejects.toThrow(/give --redis/);
  });
});
