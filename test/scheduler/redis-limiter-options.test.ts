import Bottleneck from 'bottleneck';
import { describe, expect, it } from 'vitest';
import { apiKeyHash, clusteredLimiterOptions, REDIS_HEARTBEAT_MS, redisLimiterId } from '../../src/scheduler/redis-limiter-options.js';

describe('redisLimiterId', () => {
  it('names the account by provider, normalised base URL and a short hash of the key, never the key', () => {
    const id = redisLimiterId({ provider: 'openai', baseUrl: 'https://api.openai.com/v1/', apiKey: 'sk-live-secret' });
    expect(id).toBe(`llm-batch:openai:https://api.openai.com/v1:${apiKeyHash('sk-live-secret')}`);
    expect(id).not.toContain('secret');
    expect(apiKeyHash('sk-live-secret')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('shares limits between spellings of one endpoint, and not between keys or providers', () => {
    const base = { provider: 'anthropic' as const, baseUrl: 'https://api.anthropic.com', apiKey: 'k1' };
    expect(redisLimiterId({ ...base, baseUrl: 'https://api.anthropic.com/' })).toBe(redisLimiterId(base));
    expect(redisLimiterId({ ...base, baseUrl: 'https://user:pw@api.anthropic.com' })).toBe(redisLimiterId(base));
    expect(redisLimiterId({ ...base, apiKey: 'k2' })).not.toBe(redisLimiterId(base));
    expect(redisLimiterId({ ...base, provider: 'openai' })).not.toBe(redisLimiterId(base));
    expect(redisLimiterId({ provider: 'mock', baseUrl: 'http://127.0.0.1:1/v1' })).toMatch(/:nokey$/);
  });
});

describe('clusteredLimiterOptions', () => {
  it('keeps the keys from expiring, keeps shared state, and beats fast enough for a 100 ms token refill', () => {
    const connection = {} as Bottleneck.IORedisConnection;
    expect(clusteredLimiterOptions(connection, 'acct')).toEqual({
      datastore: 'ioredis',
      connection,
      id: 'acct',
      timeout: null,
      clearDatastore: false,
      heartbeatInterval: REDIS_HEARTBEAT_MS,
    });
    expect(REDIS_HEARTBEAT_MS).toBeLessThanOrEqual(250);
  });
});
