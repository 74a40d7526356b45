import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { createProvider } from '../../src/providers/create-provider.js';

describe('createProvider', () => {
  it('builds the in-process mock without a key', async () => {
    const provider = await createProvider({ provider: 'mock', model: 'mock', baseUrl: 'mock://' }, { connections: 4, timeoutMs: 1000 });
    expect(provider.id).toBe('mock');
    await provider.close();
  });

  it.each([
    ['openai', 'https://api.openai.com/v1'],
    ['anthropic', 'https://api.anthropic.com'],
  ] as const)('builds an HTTP provider for %s', async (id, baseUrl) => {
    const agent = new MockAgent();
    const provider = await createProvider(
      { provider: id, model: 'm', baseUrl, apiKey: 'k-123456', apiKeyEnv: 'X' },
      { connections: 4, timeoutMs: 1000, dispatcher: agent },
    );
    expect(provider).toMatchObject({ id, baseUrl });
    await provider.close();
    await agent.close();
  });
});
