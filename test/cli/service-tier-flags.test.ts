import { describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../../src/cli/resolve-run-config.js';
import type { RunFlags } from '../../src/cli/run-options.js';

const flags = (extra: Partial<RunFlags> = {}): RunFlags => ({
  prompt: 'Say {{name}}',
  model: 'gpt-5-mini',
  onBadItem: 'fail',
  concurrency: 4,
  maxRetries: 6,
  maxWait: 60,
  mode: 'realtime',
  cache: false,
  progressInterval: 10,
  ...extra,
});
const ENV = { OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: 'sk-ant-test' };
const resolve = (extra: Partial<RunFlags>) =>
  resolveRunConfig('items.jsonl', flags(extra), { env: ENV, homedir: '/tmp', args: [] }).then((resolved) => resolved.config);

describe('--service-tier and --flex-fallback', () => {
  it('sends the tier as service_tier, and waits up to 15 minutes per flex request unless --timeout says otherwise', async () => {
    expect(await resolve({})).toMatchObject({ timeoutMs: 120_000, params: { extra: {} } });
    expect(await resolve({ serviceTier: 'flex' })).toMatchObject({ timeoutMs: 900_000, params: { extra: { service_tier: 'flex' } } });
    expect(await resolve({ param: { service_tier: 'flex' } })).toMatchObject({ timeoutMs: 900_000 });
    expect(await resolve({ serviceTier: 'flex', timeout: 60 })).toMatchObject({ timeoutMs: 60_000 });
    expect(await resolve({ serviceTier: 'priority' })).toMatchObject({ timeoutMs: 120_000, params: { extra: { service_tier: 'priority' } } });
    expect(await resolve({ serviceTier: 'flex', flexFallback: 2 })).toMatchObject({ flexFallback: 2 });
  });

  it.each<[string, Partial<RunFlags>, RegExp]>([
    ['Anthropic', { model: 'claude-haiku-4-5', serviceTier: 'flex' }, /OpenAI's/],
    ['batch mode', { serviceTier: 'flex', mode: 'batch', output: 'o.jsonl' }, /applies to realtime/],
    ['fallback without flex', { flexFallback: 2 }, /needs --service-tier flex/],
    ['fallback past the retries', { serviceTier: 'flex', flexFallback: 3, maxRetries: 2 }, /never be reached/],
  ])('refuses %s before anything is sent', async (_name, extra, message) => {
    await expect(resolve(extra)).rejects.toThrow(message);
  });
});
